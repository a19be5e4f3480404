export * from './types';
export * from './errors';
export * from './constants';
export { toLambdaRecord, toLambdaEvent } from './lambda-record';
export { decodeBatch, decodeRecord } from './decode-batch';
export { toJsonSafe } from './json-safe';
export { lowestSequenceNumber, SEQUENCE_NUMBER_PATTERN, sequenceNumberOf } from './sequence-number';
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
