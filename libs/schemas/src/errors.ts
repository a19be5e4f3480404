/** Base class of every error this package throws. */
export class SchemasError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An id that cannot be part of a table key. */
export class InvalidIdError extends SchemasError {
  constructor(
    public readonly field: string,
    public readonly value: string,
  ) {
    super(`${field} must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'; got ${JSON.stringify(value)}`);
  }
}

/** A table key that is neither a product's nor a review's. */
export class InvalidKeyError extends SchemasError {
  constructor(
    public readonly key: unknown,
    public readonly problem: string,
  ) {
    super(`Invalid table key ${safeJson(key)}: ${problem}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
