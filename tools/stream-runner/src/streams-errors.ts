export type StreamsErrorKind = 'expired-iterator' | 'trimmed' | 'not-found' | 'throttled' | 'other';

/**
 * Classifies a DynamoDB Streams error by its AWS error name.
 * @example classifyStreamsError(Object.assign(new Error('x'), { name: 'ExpiredIteratorException' })) // 'expired-iterator'
 */
export function classifyStreamsError(error: unknown): StreamsErrorKind {
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'ExpiredIteratorException':
      return 'expired-iterator';
    case 'TrimmedDataAccessException':
      return 'trimmed';
    case 'ResourceNotFoundException':
      return 'not-found';
    case 'LimitExceededException':
    case 'ThrottlingException':
    case 'RequestLimitExceeded':
      return 'throttled';
    default:
      return 'other';
  }
}
