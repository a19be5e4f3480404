/** Pinned versions of the servers the local stack fetches (keep the default in maven/elasticmq/pom.xml in step). */
export const VERSIONS = {
  moto: '5.2.5',
  opensearch: '2.19.6',
  elasticmq: '1.7.1',
  s3proxy: '4.1.0',
} as const;

/** Maven coordinates of what is fetched from Maven Central. */
export const ARTIFACTS = {
  opensearch: `org.opensearch.distribution.integ-test-zip:opensearch:${VERSIONS.opensearch}:zip`,
  s3proxy: `org.gaul:s3proxy:${VERSIONS.s3proxy}:jar:jar-with-dependencies`,
  elasticmqPom: 'maven/elasticmq/pom.xml',
} as const;

/** OpenSearch refuses to run as root: when we are root it runs as this system user. */
export const OPENSEARCH_SYSTEM_USER = 'ddbos';

/**
 * As root, what the OpenSearch system user reads and writes lives under here, outside any checkout (one it cannot
 * enter, e.g. under /root or a mode-700 temporary directory, would stop it): one directory per workspace.
 */
export const SYSTEM_USER_BASE_DIR = '/var/lib/ddb-os-local-stack';

/** Cache directory, relative to the workspace root (git-ignored). */
export const CACHE_DIR = '.cache/local-stack';

/** Oldest Java the servers run on (S3Proxy 4 needs 17). */
export const MIN_JAVA_MAJOR = 17;

export const HEALTH_TIMEOUT_MS = {
  dynamodb: 60_000,
  opensearch: 180_000,
  sqs: 60_000,
  s3: 60_000,
} as const;

export const HEALTH_POLL_MS = 500;
export const PROBE_TIMEOUT_MS = 3_000;
export const STOP_TIMEOUT_MS = 20_000;
export const LOCK_TIMEOUT_MS = 15 * 60_000;
export const LOG_TAIL_LINES = 30;
export const LOG_PREFIX = '[local-stack]';
