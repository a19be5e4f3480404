import type { AttributeValue as DynamoDbAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeValue as StreamsAttributeValue } from '@aws-sdk/client-dynamodb-streams';

/** A value `JSON.stringify` writes losslessly and `JSON.parse` reads back unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object, e.g. an unmarshalled DynamoDB item. */
export type JsonObject = { [key: string]: JsonValue };

/**
 * What to do with a DynamoDB number a JS double cannot hold exactly
 * (more than 15–17 significant digits, or an integer beyond ±2^53 − 1):
 * - `'string'` (default): keep the exact decimal string as DynamoDB sent it;
 * - `'reject'`: reject the record, naming the attribute path.
 */
export type NumberPolicy = 'string' | 'reject';

/** Binary data: base64 text in Lambda events, bytes in SDK responses. */
export type BinaryValue = string | Uint8Array;

/**
 * A DynamoDB AttributeValue in either wire form: Lambda event JSON (binary as base64 strings)
 * or an SDK response (binary as `Uint8Array`). Exactly one key is set.
 */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: BinaryValue }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: BinaryValue[] }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { NULL: boolean }
  | { BOOL: boolean };

/** Any AttributeValue this package accepts: its own shape or the SDK clients' types. */
export type AnyAttributeValue = AttributeValue | DynamoDbAttributeValue | StreamsAttributeValue;

/** The three stream event names. */
export type StreamEventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** One stream record, decoded to JSON-safe images. */
export interface DecodedChange {
  readonly eventName: StreamEventName;
  readonly eventId: string;
  /** The stream ARN (`eventSourceARN`), when the record carries it. */
  readonly eventSourceArn: string | undefined;
  /** Decimal string; compare as BigInt, and only within one shard. */
  readonly sequenceNumber: string;
  /** `ApproximateCreationDateTime` in epoch seconds, floored. */
  readonly approximateCreationSeconds: number;
  /** The unmarshalled `Keys`. */
  readonly keys: JsonObject;
  readonly newImage: JsonObject | undefined;
  readonly oldImage: JsonObject | undefined;
  /** A REMOVE made by DynamoDB's TTL process (service principal `dynamodb.amazonaws.com`). */
  readonly isTtlDelete: boolean;
  /** The record exactly as received (same reference), for the DLQ or an archive. */
  readonly raw: unknown;
}

/** A record `decodeBatch` could not decode; it is never dropped silently. */
export interface RejectedRecord {
  /** The record exactly as received. */
  readonly raw: unknown;
  /** What is wrong, with the path of the offending field. */
  readonly reason: string;
  /** `dynamodb.SequenceNumber` when it could be read as a string. */
  readonly sequenceNumber: string | undefined;
  /** `eventID` when it could be read as a string. */
  readonly eventId: string | undefined;
}

/** Options of `decodeBatch` and `decodeRecord`. */
export interface DecodeOptions {
  /** Default `'string'`. */
  readonly numberPolicy?: NumberPolicy;
}

/** Options of `toJsonSafe`. */
export interface ToJsonSafeOptions {
  /** Default `'string'`. */
  readonly numberPolicy?: NumberPolicy;
  /** Prefix of the attribute paths named in errors, e.g. `NewImage`. Default: none. */
  readonly pathPrefix?: string;
}

/** Result of `decodeBatch`: every input record is in exactly one of the two lists, in input order. */
export interface DecodedBatch {
  readonly changes: DecodedChange[];
  readonly rejected: RejectedRecord[];
}

/** Result of `decodeRecord`. */
export type RecordDecoding =
  { readonly ok: true; readonly change: DecodedChange } | { readonly ok: false; readonly rejected: RejectedRecord };

/** Where a GetRecords record came from: Lambda adds these to each event record. */
export interface LambdaRecordContext {
  readonly streamArn: string;
  readonly awsRegion: string;
}
