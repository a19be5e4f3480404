/** Base class of every error this package throws. */
export class CdkConstructError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A prop of `DynamoDbToOpenSearch` is invalid; `prop` names it (dotted for nested props). */
export class InvalidPropError extends CdkConstructError {
  constructor(
    public readonly prop: string,
    public readonly problem: string,
    options?: ErrorOptions,
  ) {
    super(`DynamoDbToOpenSearch: invalid prop "${prop}": ${problem}`, options);
  }
}

/** A Lambda bundle directory is missing or has no `index.js`. */
export class MissingBundleError extends CdkConstructError {
  constructor(
    public readonly prop: string,
    public readonly directory: string,
    public readonly buildTarget: string,
  ) {
    super(
      `DynamoDbToOpenSearch: invalid prop "${prop}": no index.js in ${directory}; ` +
        `build it with \`npx nx run ${buildTarget}\` or point "${prop}" at a bundle directory`,
    );
  }
}
