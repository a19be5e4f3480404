import { BackendUnavailableError, type Backend } from '../errors';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);

const UNREACHABLE_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ConnectionError',
  'NoLivingConnectionsError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'InternalServerError',
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NoSuchBucket',
]);

const UNAVAILABLE_STATUS = new Set([429, 502, 503, 504]);

/** The AWS SDK wraps non-Error throwables (e.g. from another realm) as text only: "AWS SDK error wrapper for Error: connect ECONNREFUSED …". */
const SDK_WRAPPER_PREFIX = /^AWS SDK error wrapper for \w*:?\s*/;
const UNREACHABLE_IN_TEXT = new RegExp(`\\b(?:${[...UNREACHABLE_CODES].join('|')})\\b`);

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly statusCode?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
  readonly body?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/**
 * Why `error` means its backend is unreachable or not ready, or `undefined` when it is some other failure.
 * Looks through `cause` chains and `AggregateError`s (Node's happy-eyeballs connect wraps ECONNREFUSED in one).
 *
 * @example
 * unavailableReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }));
 * // => 'connect ECONNREFUSED 127.0.0.1:8000'
 */
export function unavailableReason(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const e = error as ErrorLike;
  const message =
    typeof e.message === 'string' && e.message !== ''
      ? e.message.replace(SDK_WRAPPER_PREFIX, '')
      : String(e.code ?? e.name ?? 'unavailable');
  if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return message;
  if (typeof e.message === 'string' && SDK_WRAPPER_PREFIX.test(e.message) && UNREACHABLE_IN_TEXT.test(e.message)) return message;
  if (typeof e.name === 'string' && UNREACHABLE_NAMES.has(e.name)) return message;
  if (typeof e.statusCode === 'number' && UNAVAILABLE_STATUS.has(e.statusCode)) return message;
  const httpStatus = e.$metadata?.httpStatusCode;
  if (typeof httpStatus === 'number' && (httpStatus >= 500 || httpStatus === 429)) return message;
  const missingIndex = missingIndexReason(e);
  if (missingIndex) return missingIndex;
  if (Array.isArray(e.errors)) {
    const inner = e.errors.map((item: unknown) => unavailableReason(item, depth + 1)).find(Boolean);
    if (inner) return inner;
  }
  return unavailableReason(e.cause, depth + 1);
}

/** An OpenSearch `index_not_found_exception`: the indexes were not created yet, so search is not ready. */
function missingIndexReason(e: ErrorLike): string | undefined {
  if (typeof e.body !== 'object' || e.body === null) return undefined;
  const cause = (e.body as { error?: { type?: unknown; reason?: unknown } }).error;
  if (cause?.type !== 'index_not_found_exception') return undefined;
  return typeof cause.reason === 'string' ? cause.reason : 'index not found';
}

/**
 * Runs one call to `backend`, turning "cannot reach it" failures into {@link BackendUnavailableError}
 * (served as 503) and passing every other error through unchanged.
 *
 * @example
 * const item = await callBackend('dynamodb', () => documents.send(new GetCommand(input)));
 */
export async function callBackend<T>(backend: Backend, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const reason = unavailableReason(error);
    if (reason === undefined) throw error;
    throw new BackendUnavailableError(backend, reason, { cause: error });
  }
}
