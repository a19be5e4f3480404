import { errors } from '@opensearch-project/opensearch';
import { describeError, type BulkItemError } from '@ddb-os/opensearch-mapping';

/** Why a whole request (`_mget`, `_bulk`) failed, and whether retrying can help. */
export type RequestFailure =
  | { readonly kind: 'retryable'; readonly reason: string }
  /** 413: the body exceeds the cluster's `http.max_content_length`. */
  | { readonly kind: 'too-large'; readonly reason: string };

/**
 * Classifies an error thrown by the OpenSearch client. Every failure that comes from the cluster or the
 * network is retryable (429, 5xx, timeouts, refused or reset connections, and other statuses, which say
 * nothing about any one document); errors of our own making (configuration, serialisation, bugs) are rethrown.
 */
export function classifyRequestError(error: unknown): RequestFailure {
  if (error instanceof errors.ResponseError) {
    const reason = responseErrorReason(error);
    return error.meta.statusCode === 413 ? { kind: 'too-large', reason } : { kind: 'retryable', reason };
  }
  if (
    error instanceof errors.TimeoutError ||
    error instanceof errors.ConnectionError ||
    error instanceof errors.NoLivingConnectionsError ||
    error instanceof errors.RequestAbortedError ||
    error instanceof errors.DeserializationError
  ) {
    return { kind: 'retryable', reason: `${error.name}: ${error.message}` };
  }
  throw error;
}

/** `status type: reason (caused by …)` of an error response. */
export function responseErrorReason(error: InstanceType<typeof errors.ResponseError>): string {
  return `${error.meta.statusCode ?? 0} ${describeError(errorCauseOf(error.body))}`;
}

/** The `error` object of an OpenSearch error response body, if any. */
export function errorCauseOf(body: unknown): BulkItemError | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) {
    return undefined;
  }
  const { error } = body;
  if (typeof error === 'string') {
    return { reason: error };
  }
  return typeof error === 'object' && error !== null ? (error as BulkItemError) : undefined;
}
