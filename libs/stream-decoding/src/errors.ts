/** Base class of every error this package throws. */
export class StreamDecodingError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The event is not a DynamoDB Streams event at all (no `Records` array); single bad records never throw. */
export class MalformedEventError extends StreamDecodingError {
  constructor(public readonly problem: string) {
    super(`Malformed DynamoDB Streams event: ${problem}`);
  }
}

/** A number a JS double cannot hold exactly, met under `numberPolicy: 'reject'`. */
export class UnsafeNumberError extends StreamDecodingError {
  constructor(
    public readonly attributePath: string,
    public readonly value: string,
  ) {
    super(`Number at ${attributePath} (${value}) cannot be held exactly by a JS number and numberPolicy is 'reject'`);
  }
}

/** An `N` value that is not a decimal number. */
export class InvalidNumberError extends StreamDecodingError {
  constructor(
    public readonly attributePath: string,
    public readonly value: string,
  ) {
    super(`Number at ${attributePath} is not a decimal number: ${JSON.stringify(value)}`);
  }
}

/** An attribute name JavaScript objects cannot hold as a plain property (`__proto__`). */
export class UnsupportedAttributeNameError extends StreamDecodingError {
  constructor(public readonly attributePath: string) {
    super(`Attribute name at ${attributePath} is not supported: "__proto__" cannot be represented as a JSON object key in JavaScript`);
  }
}

/** A value `unmarshall` produced that has no JSON form here (an unknown AttributeValue type). */
export class UnsupportedAttributeValueError extends StreamDecodingError {
  constructor(
    public readonly attributePath: string,
    public readonly detail: string,
  ) {
    super(`Attribute at ${attributePath} has an unsupported value: ${detail}`);
  }
}

/** An option value outside its documented range. */
export class InvalidOptionError extends StreamDecodingError {
  constructor(
    public readonly option: string,
    public readonly value: unknown,
    public readonly allowed: readonly string[],
  ) {
    super(`Option ${option} must be one of ${allowed.map((v) => `'${v}'`).join(', ')}; got ${JSON.stringify(value)}`);
  }
}

/** A stream ARN that is not `arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>`. */
export class InvalidStreamArnError extends StreamDecodingError {
  constructor(public readonly streamArn: string) {
    super(`"${streamArn}" is not a DynamoDB stream ARN (arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>)`);
  }
}
