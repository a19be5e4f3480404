import type { NumberPolicy } from './types';

/** `eventSource` of every DynamoDB Streams record delivered to Lambda. */
export const DYNAMODB_EVENT_SOURCE = 'aws:dynamodb';

/** `userIdentity` of a REMOVE made by the TTL process. */
export const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;

/** The only view type that carries what the indexer needs (NewImage for puts, Keys/OldImage for deletes). */
export const REQUIRED_STREAM_VIEW_TYPE = 'NEW_AND_OLD_IMAGES';

/** Sequence numbers are 21–40 digits; the order key reserves 40. */
export const MAX_SEQUENCE_NUMBER_DIGITS = 40;

export const DEFAULT_NUMBER_POLICY: NumberPolicy = 'string';
