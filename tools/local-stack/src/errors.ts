import type { ServerName, Tool } from './types';

/** Base class of the errors of the local stack; every message names the cause and the fix. */
export class LocalStackError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

const INSTALL_HINTS: Readonly<Record<Tool, string>> = {
  java: 'install a Java 17+ runtime (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`; macOS: `brew install openjdk@17`)',
  mvn: 'install Maven (Debian/Ubuntu: `apt-get install maven`; macOS: `brew install maven`)',
  python3: 'install Python 3.9+ with the venv module (Debian/Ubuntu: `apt-get install python3 python3-venv`)',
  unzip: 'install unzip (Debian/Ubuntu: `apt-get install unzip`)',
  runuser: 'install util-linux (it provides `runuser`), or run the local stack as a non-root user',
  useradd: 'install the `passwd` package (it provides `useradd`), or run the local stack as a non-root user',
};

/** A command-line tool needed to fetch or run a server is not on PATH. */
export class MissingToolError extends LocalStackError {
  constructor(
    readonly tool: Tool,
    readonly neededFor: string,
    readonly envVar: string,
  ) {
    super(
      `\`${tool}\` was not found on PATH; the local stack needs it to fetch or start ${neededFor}. ` +
        `Fix: ${INSTALL_HINTS[tool]}, or set ${envVar} to the URL of an already running server so none is started.`,
    );
  }
}

/** The `java` on PATH is older than the servers need. */
export class JavaTooOldError extends LocalStackError {
  constructor(
    readonly found: number,
    readonly required: number,
  ) {
    super(
      `\`java\` on PATH is Java ${found}, but OpenSearch, ElasticMQ and S3Proxy need Java ${required} or newer. ` +
        `Fix: install Java ${required}+ and put it first on PATH (or set JAVA_HOME for OpenSearch).`,
    );
  }
}

/** An endpoint environment variable does not hold a usable URL. */
export class InvalidEndpointError extends LocalStackError {
  constructor(
    readonly envVar: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(
      `${envVar}=${JSON.stringify(value)} is not a usable endpoint: ${reason}. Fix: set it to a URL like http://127.0.0.1:9200, or unset it to use the default.`,
    );
  }
}

/** Something that is not the expected server (and that we did not start) answers at the endpoint. */
export class PortInUseError extends LocalStackError {
  constructor(
    readonly server: ServerName,
    readonly title: string,
    readonly endpoint: string,
    readonly envVar: string,
    readonly detail: string,
    readonly loopback = true,
  ) {
    super(
      `${endpoint} is in use by a process that does not answer like ${title} (${detail}) and that the local stack did not start. ` +
        (loopback
          ? `Fix: stop that process (\`ss -ltnp\` or \`lsof -i\` shows who listens), or set ${envVar} to a free port (e.g. ${suggestOtherPort(endpoint)}) so ${title} is started there.`
          : `Fix: point ${envVar} at a running ${title}, or unset it to use a local one on 127.0.0.1.`),
    );
  }
}

/** The pid file records a server of ours at another endpoint than the environment now asks for. */
export class EndpointChangedError extends LocalStackError {
  constructor(
    readonly title: string,
    readonly runningAt: string,
    readonly envVar: string,
    readonly wanted: string,
  ) {
    super(
      `The local stack already runs ${title} at ${runningAt}, but ${envVar} now asks for ${wanted}. ` +
        `Fix: run \`npx nx run local-stack:down\` first to move it, or set ${envVar}=${runningAt}.`,
    );
  }
}

/** The endpoint is on another machine and nothing answers there; the stack only starts servers on loopback. */
export class ExternalServerUnreachableError extends LocalStackError {
  constructor(
    readonly envVar: string,
    readonly endpoint: string,
    readonly title: string,
  ) {
    super(
      `${envVar}=${endpoint} does not answer, and the local stack only starts servers on loopback addresses. ` +
        `Fix: start ${title} there, or unset ${envVar} to use a local one on 127.0.0.1.`,
    );
  }
}

/** A server we started did not become healthy in time. */
export class ServerNotHealthyError extends LocalStackError {
  constructor(
    readonly server: ServerName,
    readonly title: string,
    readonly timeoutMs: number,
    readonly logFile: string,
    readonly logTail: string,
    readonly lastProbe: string,
  ) {
    super(
      `${title} did not become healthy within ${Math.round(timeoutMs / 1000)} s (last probe: ${lastProbe}); it was stopped again. ` +
        `It may have failed to start or the machine may be overloaded. Fix: read its log ${logFile} (last lines below), ` +
        `fix the cause, and run \`npx nx run local-stack:up\` again.\n${formatTail(logTail)}`,
    );
  }
}

/** A server we started exited before it became healthy. */
export class ServerExitedError extends LocalStackError {
  constructor(
    readonly server: ServerName,
    readonly title: string,
    readonly logFile: string,
    readonly logTail: string,
  ) {
    super(
      `${title} exited while starting. Fix: read its log ${logFile} (last lines below), fix the cause ` +
        `(a port taken by another process, a broken cache entry: delete it under .cache/local-stack/), and run \`npx nx run local-stack:up\` again.\n${formatTail(logTail)}`,
    );
  }
}

/** Bringing the stack up was interrupted (Ctrl-C / SIGTERM); the server that was starting has been stopped again. */
export class StartInterruptedError extends LocalStackError {
  constructor(readonly title: string) {
    super(`Starting ${title} was interrupted; it was stopped again. Run \`npx nx run local-stack:up\` to start it.`);
  }
}

/** Fetching a server (Maven, pip, unzip) failed. */
export class FetchFailedError extends LocalStackError {
  constructor(
    readonly title: string,
    readonly command: string,
    readonly outputTail: string,
  ) {
    super(
      `Fetching ${title} failed: \`${command}\` did not succeed. Fix: check network access to Maven Central / PyPI ` +
        `(proxy settings in ~/.m2/settings.xml or PIP_INDEX_URL), then run \`npx nx run local-stack:up\` again.\n${formatTail(outputTail)}`,
    );
  }
}

/** Preparing the host to run OpenSearch as a non-root user (useradd, chown) failed. */
export class HostSetupError extends LocalStackError {
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(
      `OpenSearch refuses to run as root, so the local stack runs it as a system user, but \`${command}\` failed: ${output.trim() || 'no output'}. ` +
        'Fix: run that command by hand to see why, or run the local stack as a non-root user.',
    );
  }
}

/** A cluster setting the local stack applies after starting OpenSearch was refused. */
export class OpenSearchSetupError extends LocalStackError {
  constructor(
    readonly setting: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(
      `OpenSearch refused the cluster setting ${setting} (HTTP ${status}: ${body.slice(0, 300)}). ` +
        'Fix: read .cache/local-stack/run/opensearch.log; if the data directory is damaged, run `npx nx run local-stack:down` and delete it ' +
        '(.cache/local-stack/data/opensearch; as root data/ in the directory that `up` names, under /var/lib/ddb-os-local-stack/).',
    );
  }
}

/** The OpenSearch system user cannot run a file OpenSearch needs (its copy of OpenSearch, or Java). */
export class SystemUserCannotRunError extends LocalStackError {
  constructor(
    readonly user: string,
    readonly file: string,
  ) {
    super(
      `OpenSearch runs as the system user \`${user}\` because it refuses to run as root, but \`${user}\` cannot run ${file}. ` +
        `Fix: \`namei -l ${file}\` shows which directory on the way shuts others out (open it to others, or for Java ` +
        'install one in a system location such as /usr/lib/jvm); check that the filesystem is not mounted noexec; ' +
        'or run the local stack as a non-root user.',
    );
  }
}

/** Another process holds the local-stack lock for too long. */
export class StackLockTimeoutError extends LocalStackError {
  constructor(
    readonly lockFile: string,
    readonly holderPid: number | undefined,
  ) {
    super(
      `Another local-stack command (pid ${holderPid ?? 'unknown'}) has held ${lockFile} for too long. ` +
        `Fix: wait for it to finish; if no such process runs, delete ${lockFile}.`,
    );
  }
}

/** Servers failed to come up; `errors` holds one error per server, `started` the servers this call did start. */
export class StackUpError extends LocalStackError {
  constructor(
    readonly errors: readonly Error[],
    readonly started: readonly ServerName[],
  ) {
    super(errors.map((error) => error.message).join('\n\n'));
  }
}

/** The with-stack command line has no command after `--`. */
export class MissingCommandError extends LocalStackError {
  constructor() {
    super('with-stack needs a command to run. Usage: tsx tools/local-stack/src/with-stack.ts -- <command> [args...]');
  }
}

/** A server name on the command line is not one of ours. */
export class UnknownServerError extends LocalStackError {
  constructor(
    readonly given: string,
    readonly known: readonly string[],
  ) {
    super(`Unknown server ${JSON.stringify(given)}; known servers: ${known.join(', ')}.`);
  }
}

function formatTail(tail: string): string {
  return tail.trim().length === 0 ? '(no output)' : `--- last lines ---\n${tail.trimEnd()}\n---`;
}

function suggestOtherPort(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.port = String(Number(url.port || 80) + 1);
    return url.toString().replace(/\/$/, '');
  } catch {
    return 'http://127.0.0.1:<free port>';
  }
}
