import {
  ExternalServerUnreachableError,
  JavaTooOldError,
  LocalStackError,
  MissingToolError,
  PortInUseError,
  ServerExitedError,
  ServerNotHealthyError,
} from '../../src/errors';

describe('error messages', () => {
  it('a missing tool names the tool, who needs it, how to install it and how to skip it', () => {
    // when
    const error = new MissingToolError('mvn', 'OpenSearch', 'OPENSEARCH_NODE');

    // then
    expect(error).toBeInstanceOf(LocalStackError);
    expect(error.name).toBe('MissingToolError');
    expect(error.message).toContain('`mvn` was not found on PATH');
    expect(error.message).toContain('to fetch or start OpenSearch');
    expect(error.message).toContain('apt-get install maven');
    expect(error.message).toContain('set OPENSEARCH_NODE to the URL of an already running server');
  });

  it.each(['java', 'python3'] as const)('a missing %s says how to install it', (tool) => {
    expect(new MissingToolError(tool, 'x', 'X').message).toMatch(/apt-get install (openjdk-17-jre-headless|python3 python3-venv)/);
  });

  it('a port in use names the endpoint, what answered, and suggests another port', () => {
    // when
    const error = new PortInUseError('opensearch', 'OpenSearch', 'http://127.0.0.1:9200', 'OPENSEARCH_NODE', 'GET / answered HTTP 404');

    // then
    expect(error.message).toContain(
      'http://127.0.0.1:9200 is in use by a process that does not answer like OpenSearch (GET / answered HTTP 404)',
    );
    expect(error.message).toContain('set OPENSEARCH_NODE to a free port (e.g. http://127.0.0.1:9201)');
  });

  it('a server not healthy in time includes the timeout, the log file and its last lines', () => {
    // when
    const error = new ServerNotHealthyError('sqs', 'SQS', 60_000, '/x/run/sqs.log', 'line 1\nline 2\n', 'nothing listens on the port');

    // then
    expect(error.message).toContain('SQS did not become healthy within 60 s (last probe: nothing listens on the port)');
    expect(error.message).toContain('/x/run/sqs.log');
    expect(error.message).toContain('--- last lines ---\nline 1\nline 2\n---');
  });

  it('a server that exited says so and shows "(no output)" for an empty log', () => {
    expect(new ServerExitedError('s3', 'S3', '/x/s3.log', '').message).toContain('S3 exited while starting');
    expect(new ServerExitedError('s3', 'S3', '/x/s3.log', '').message).toContain('(no output)');
  });

  it('an unreachable remote endpoint explains that only loopback servers are started', () => {
    expect(new ExternalServerUnreachableError('SQS_ENDPOINT', 'http://10.0.0.5:9324', 'SQS').message).toBe(
      'SQS_ENDPOINT=http://10.0.0.5:9324 does not answer, and the local stack only starts servers on loopback addresses. ' +
        'Fix: start SQS there, or unset SQS_ENDPOINT to use a local one on 127.0.0.1.',
    );
  });

  it('an old java names both versions', () => {
    expect(new JavaTooOldError(11, 17).message).toContain(
      '`java` on PATH is Java 11, but OpenSearch, ElasticMQ and S3Proxy need Java 17 or newer',
    );
  });
});

describe('PortInUseError for a remote endpoint', () => {
  it('asks to point the variable at a real server instead of suggesting a local port', () => {
    const error = new PortInUseError('sqs', 'SQS', 'http://10.0.0.5:9324', 'SQS_ENDPOINT', 'HTTP 404', false);
    expect(error.message).toContain('Fix: point SQS_ENDPOINT at a running SQS, or unset it to use a local one on 127.0.0.1.');
  });
});
