import { z } from 'zod';
import { DYNAMODB_EVENT_SOURCE } from './constants';
import { SEQUENCE_NUMBER_PATTERN, sequenceNumberSchema } from './sequence-number';
import { isBinary } from './binary';
import { DECIMAL_PATTERN } from './decimal';
import { FORBIDDEN_ATTRIBUTE_NAME, findForbiddenAttributeName, isPlainObject } from './json-safe';
import type { AttributeValue, BinaryValue } from './types';

/** The DynamoDB data type tags; an AttributeValue has exactly one. */
export const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;

const numberTextSchema = z.string().regex(DECIMAL_PATTERN, {
  error: (issue) => `expected a decimal number string such as "12.5" or "1E+2", got ${JSON.stringify(issue.input)}`,
});

const binarySchema = z.custom<BinaryValue>((value) => isBinary(value), {
  error: 'expected binary data: base64 text (Lambda events) or a Uint8Array (SDK records)',
});

const TYPE_LIST = ATTRIBUTE_TYPES.join(', ');

function isTypeTag(key: string): boolean {
  return (ATTRIBUTE_TYPES as readonly string[]).includes(key);
}

/** Checked on the input, before zod's object parsing hides unknown or duplicate type tags. */
function exactlyOneTypeTag(value: unknown, ctx: z.RefinementCtx): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return;
  const tags = Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
  const unknown = tags.filter((tag) => !isTypeTag(tag));
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown AttributeValue type ${unknown.map((tag) => JSON.stringify(tag)).join(', ')}; expected exactly one of ${TYPE_LIST}`,
    });
  } else if (tags.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      message: `an AttributeValue must have exactly one of ${TYPE_LIST}; found ${tags.length === 0 ? 'none' : tags.join(', ')}`,
    });
  }
}

/**
 * A DynamoDB AttributeValue (Lambda JSON or SDK form): exactly one of S, N, B, SS, NS, BS, M, L, NULL, BOOL,
 * maps and lists recursively. Numbers are checked to be decimal strings, binaries to be base64 or bytes.
 */
export const attributeValueSchema: z.ZodType<AttributeValue> = z.lazy(() =>
  z
    .unknown()
    .superRefine(exactlyOneTypeTag)
    .pipe(
      z.strictObject({
        S: z.string().optional(),
        N: numberTextSchema.optional(),
        B: binarySchema.optional(),
        SS: z.array(z.string()).optional(),
        NS: z.array(numberTextSchema).optional(),
        BS: z.array(binarySchema).optional(),
        M: z.record(z.string(), attributeValueSchema).optional(),
        L: z.array(attributeValueSchema).optional(),
        NULL: z.literal(true).optional(),
        BOOL: z.boolean().optional(),
      }),
    )
    // Safe: exactlyOneTypeTag guarantees a single type tag, and the object schema its value.
    .transform((value) => value as AttributeValue),
);

const imageRecordSchema = z.record(z.string(), attributeValueSchema);

/**
 * A stream image (Keys, NewImage, OldImage): attribute name → AttributeValue. An attribute named
 * `__proto__` is reported rather than silently lost by plain-object code.
 *
 * Well-formed images (nearly all of them) are recognised by {@link isWellFormedImage} alone: the zod schema of
 * every AttributeValue costs tens of microseconds per record, the largest share of the indexer's CPU. Anything
 * else goes through the zod schema, which names what is wrong; both accept exactly the same images.
 */
export const streamImageSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    if (isWellFormedImage(value)) return;
    const path = findForbiddenAttributeName(value, '');
    if (path !== undefined) {
      ctx.addIssue({ code: 'custom', message: `attribute name "__proto__" (at ${path}) is not supported` });
      return;
    }
    const parsed = imageRecordSchema.safeParse(value);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: issue.input });
  })
  // Safe: the refinement above accepted the value as a record of AttributeValues.
  .transform((value) => value as Record<string, AttributeValue>);

/**
 * Whether `value` is an attribute name → AttributeValue record that {@link imageRecordSchema} accepts, with no
 * attribute named `__proto__` at any depth (those are reported by the slow path).
 */
export function isWellFormedImage(value: unknown): value is Record<string, AttributeValue> {
  return isPlainObject(value) && !Object.hasOwn(value, FORBIDDEN_ATTRIBUTE_NAME) && Object.values(value).every(isWellFormedAttributeValue);
}

function isWellFormedAttributeValue(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  const tag = keys[0] as string;
  const content = value[tag];
  switch (tag) {
    case 'S':
      return typeof content === 'string';
    case 'N':
      return isNumberText(content);
    case 'B':
      return isBinary(content);
    case 'SS':
      return Array.isArray(content) && content.every((item) => typeof item === 'string');
    case 'NS':
      return Array.isArray(content) && content.every(isNumberText);
    case 'BS':
      return Array.isArray(content) && content.every(isBinary);
    case 'M':
      return isWellFormedImage(content);
    case 'L':
      return Array.isArray(content) && content.every(isWellFormedAttributeValue);
    case 'NULL':
      return content === true;
    case 'BOOL':
      return typeof content === 'boolean';
    default:
      return false;
  }
}

function isNumberText(value: unknown): boolean {
  return typeof value === 'string' && DECIMAL_PATTERN.test(value);
}

/** The `dynamodb` part of a Lambda DynamoDB Streams record. */
export const streamRecordBodySchema = z.looseObject({
  ApproximateCreationDateTime: z
    .number({ error: 'expected epoch seconds as a number' })
    .nonnegative()
    .refine(Number.isFinite, { error: 'expected finite epoch seconds' }),
  Keys: streamImageSchema.optional(),
  NewImage: streamImageSchema.optional(),
  OldImage: streamImageSchema.optional(),
  SequenceNumber: sequenceNumberSchema,
  SizeBytes: z.number().int().nonnegative().optional(),
  StreamViewType: z.enum(['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES']).optional(),
});

/** `userIdentity`, set on REMOVE records made by the TTL process. */
export const userIdentitySchema = z.looseObject({
  type: z.string().optional(),
  principalId: z.string().optional(),
});

/** One record of a Lambda DynamoDB Streams event (unknown extra fields are tolerated). */
export const dynamoDbStreamRecordSchema = z.looseObject({
  eventID: z.string().min(1, { error: 'expected a non-empty event id' }),
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  eventVersion: z.string().optional(),
  eventSource: z.literal(DYNAMODB_EVENT_SOURCE).optional(),
  awsRegion: z.string().optional(),
  eventSourceARN: z.string().optional(),
  dynamodb: streamRecordBodySchema,
  userIdentity: userIdentitySchema.optional(),
});

const EVENT_NAMES: readonly unknown[] = dynamoDbStreamRecordSchema.shape.eventName.options;
const STREAM_VIEW_TYPES: readonly unknown[] = streamRecordBodySchema.shape.StreamViewType.unwrap().options;

/**
 * Whether `value` is a stream record {@link dynamoDbStreamRecordSchema} accepts, its images left out: they are
 * checked by the conversion that reads them (see `imageToJsonDirect`). Like {@link isWellFormedImage}, a shortcut
 * for the records DynamoDB sends that never accepts what the schema refuses; anything unusual takes the schema.
 */
export function isWellFormedRecordEnvelope(value: unknown): value is DynamoDbStreamRecord {
  if (!isPlainObject(value)) return false;
  const { eventID, eventName, eventVersion, eventSource, awsRegion, eventSourceARN, dynamodb, userIdentity } = value;
  return (
    typeof eventID === 'string' &&
    eventID !== '' &&
    EVENT_NAMES.includes(eventName) &&
    isOptionalString(eventVersion) &&
    (eventSource === undefined || eventSource === DYNAMODB_EVENT_SOURCE) &&
    isOptionalString(awsRegion) &&
    isOptionalString(eventSourceARN) &&
    isWellFormedBodyEnvelope(dynamodb) &&
    (userIdentity === undefined ||
      (isPlainObject(userIdentity) && isOptionalString(userIdentity['type']) && isOptionalString(userIdentity['principalId'])))
  );
}

function isWellFormedBodyEnvelope(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  const { ApproximateCreationDateTime: seconds, SequenceNumber, SizeBytes, StreamViewType } = value;
  return (
    typeof seconds === 'number' &&
    Number.isFinite(seconds) &&
    seconds >= 0 &&
    typeof SequenceNumber === 'string' &&
    SEQUENCE_NUMBER_PATTERN.test(SequenceNumber) &&
    (SizeBytes === undefined || (Number.isSafeInteger(SizeBytes) && (SizeBytes as number) >= 0)) &&
    (StreamViewType === undefined || STREAM_VIEW_TYPES.includes(StreamViewType))
  );
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** A Lambda DynamoDB Streams event. `decodeBatch` validates records one by one instead, to isolate bad ones. */
export const dynamoDbStreamEventSchema = z.looseObject({
  Records: z.array(dynamoDbStreamRecordSchema),
});

/** A validated Lambda DynamoDB Streams record. */
export type DynamoDbStreamRecord = z.infer<typeof dynamoDbStreamRecordSchema>;
/** A validated Lambda DynamoDB Streams event. */
export type DynamoDbStreamEvent = z.infer<typeof dynamoDbStreamEventSchema>;
