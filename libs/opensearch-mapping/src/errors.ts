/** Base class of every error thrown by `@ddb-os/opensearch-mapping`. */
export class OpenSearchMappingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'OpenSearchMappingError';
  }
}

/** A key attribute is missing or holds a value DynamoDB cannot hold in a key, or the key attribute list is wrong. */
export class InvalidDocumentKeyError extends OpenSearchMappingError {
  constructor(
    /** The offending key attribute, `undefined` when the key attribute list itself is wrong. */
    public readonly attribute: string | undefined,
    public readonly reason: string,
  ) {
    super(attribute === undefined ? `Invalid key attributes: ${reason}` : `Invalid key attribute "${attribute}": ${reason}`);
    this.name = 'InvalidDocumentKeyError';
  }
}

/** A sync's routes do not describe valid routes. */
export class InvalidIndexRoutesError extends OpenSearchMappingError {
  constructor(
    /** One line per problem, each naming the entry it concerns. */
    public readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(`Invalid index routes: ${problems.join('; ')}`, options);
    this.name = 'InvalidIndexRoutesError';
  }
}

/** A zod schema (or one of its fields) has no OpenSearch mapping this library can derive. */
export class UnsupportedSchemaTypeError extends OpenSearchMappingError {
  constructor(
    /** Dotted field path (`[]` marks array elements), `(root)` for the schema itself. */
    public readonly path: string,
    public readonly reason: string,
  ) {
    super(`Cannot map field "${path}" to OpenSearch: ${reason}`);
    this.name = 'UnsupportedSchemaTypeError';
  }
}

/** A name breaks OpenSearch index-name rules or the naming scheme of this library. */
export class InvalidIndexNameError extends OpenSearchMappingError {
  constructor(
    public readonly indexName: string,
    public readonly reason: string,
  ) {
    super(`Invalid index name "${indexName}": ${reason}`);
    this.name = 'InvalidIndexNameError';
  }
}

/** An index setting (shard count, replica count, refresh interval) is out of range. */
export class InvalidIndexSettingsError extends OpenSearchMappingError {
  constructor(
    public readonly setting: string,
    public readonly reason: string,
  ) {
    super(`Invalid index setting "${setting}": ${reason}`);
    this.name = 'InvalidIndexSettingsError';
  }
}

// Versioning: order keys, sync metadata, write plans, bulk bodies (order-key.ts … bulk-result.ts).

/** An input an order key is computed from (sequence number, second, read time, version…) is invalid. */
export class OrderKeyInputError extends OpenSearchMappingError {
  constructor(
    /** The offending input, e.g. `sequenceNumber` or `newImage.version`. */
    public readonly field: string,
    public readonly reason: string,
  ) {
    super(`Cannot compute an order key: "${field}" ${reason}`);
    this.name = 'OrderKeyInputError';
  }
}

/** A string used as an order key is not one (see docs/consistency.md for the two formats). */
export class InvalidOrderKeyError extends OpenSearchMappingError {
  constructor(
    /** What the value was used as, e.g. `intended order of "abc"`. */
    public readonly what: string,
    public readonly value: unknown,
  ) {
    super(
      `Invalid ${what}: ${JSON.stringify(value) ?? String(value)} is not an order key (S + 12 + 1 + 40 digits, or V + 40 + 1 + 40 digits)`,
    );
    this.name = 'InvalidOrderKeyError';
  }
}

/** Document metadata (`ddbSync`) or the item it is added to is invalid. */
export class InvalidSyncMetadataError extends OpenSearchMappingError {
  constructor(
    /** The offending field, e.g. `source`, `changedAt`, or the item attribute `ddbSync`. */
    public readonly field: string,
    public readonly reason: string,
  ) {
    super(`Invalid document metadata "${field}": ${reason}`);
    this.name = 'InvalidSyncMetadataError';
  }
}

/** Two intended writes target the same document (index and id); coalesce a batch to one write per index and id first. */
export class DuplicateWriteError extends OpenSearchMappingError {
  constructor(
    /** Base index name of both writes. */
    public readonly index: string,
    public readonly id: string,
  ) {
    super(
      `More than one intended write for document "${id}" of index "${index}": coalesce to one write per index and id (the newest change)`,
    );
    this.name = 'DuplicateWriteError';
  }
}

/** `maxBulkBytes` (the bulk request size limit) is not a positive integer. */
export class InvalidBulkLimitError extends OpenSearchMappingError {
  constructor(public readonly maxBytes: unknown) {
    super(`Invalid bulk size limit: maxBytes must be a positive integer, got ${String(maxBytes)}`);
    this.name = 'InvalidBulkLimitError';
  }
}

/**
 * An item attribute cannot become a document field: it is (or expands into) a sync metadata field, or it names
 * the same OpenSearch field as another attribute. A subclass of `InvalidSyncMetadataError` so that every writer
 * that already treats that error as poison (dead-letter with the reason) treats this one the same way.
 */
export class UnindexableAttributeNameError extends InvalidSyncMetadataError {
  constructor(
    /** The offending attribute as written in the item, e.g. `"ddbSync.deleted"` or `a["b.c"]`. */
    public readonly attribute: string,
    public readonly problem: string,
  ) {
    super(attribute, problem);
    this.message = `Unindexable attribute name: ${problem}`;
    this.name = 'UnindexableAttributeNameError';
  }
}
