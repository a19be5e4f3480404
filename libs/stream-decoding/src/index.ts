export * from './types';
export * from './errors';
export * from './constants';
export { toLambdaRecord, toLambdaEvent } from './lambda-record';
export { decodeBatch, decodeRecord } from './decode-batch';
export { toJsonSafe } from './json-safe';
export {
  SEQUENCE_NUMBER_PATTERN,
  compareSequenceNumbers,
  isSequenceNumber,
  lowestSequenceNumber,
  sequenceNumberOf,
  sequenceNumberSchema,
} from './sequence-number';
export { STREAM_ARN_PATTERN, parseStreamArn, streamArnParts, type StreamArnParts } from './stream-arn';
export { compareDecimals, exactNumber, isDecimal } from './decimal';
export {
  ATTRIBUTE_TYPES,
  attributeValueSchema,
  dynamoDbStreamEventSchema,
  dynamoDbStreamRecordSchema,
  streamImageSchema,
  isWellFormedImage,
  streamRecordBodySchema,
  userIdentitySchema,
  type DynamoDbStreamEvent,
  type DynamoDbStreamRecord,
} from './schemas';
