/** Base class of every error the failure handler throws. */
export class FailureHandlerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The environment does not configure the handler; thrown at cold start, naming every bad variable. */
export class InvalidFailureHandlerConfigError extends FailureHandlerError {
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid failure-handler configuration: ${problems.join('; ')}`);
  }
}

/** A stream ARN that is not `arn:<partition>:dynamodb:<region>:<account>:table/<name>/stream/<label>`. */
export class InvalidStreamArnError extends FailureHandlerError {
  constructor(public readonly streamArn: string) {
    super(`Not a DynamoDB stream ARN: ${JSON.stringify(streamArn)}`);
  }
}
