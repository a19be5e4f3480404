/** Names of the services the demo API talks to; a 503 names the one that failed. */
export type Backend = 'dynamodb' | 'opensearch' | 'sqs' | 's3';

/** Base class of every error raised by the demo API. */
export class DemoApiError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The environment does not describe a usable configuration; `problems` names each bad variable. */
export class InvalidDemoConfigError extends DemoApiError {
  constructor(public readonly problems: readonly string[]) {
    super(`invalid demo-api configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The addressed product or review does not exist in the table. */
export class ItemNotFoundError extends DemoApiError {
  constructor(
    public readonly entity: 'product' | 'review',
    public readonly key: { readonly pk: string; readonly sk: string },
  ) {
    super(`${entity} not found`);
  }
}

/** A backend could not be reached or is not ready (connection refused, timeout, 5xx, missing index). */
export class BackendUnavailableError extends DemoApiError {
  constructor(
    public readonly backend: Backend,
    public readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${backend} unavailable`, options);
  }
}

/** One problem with a request: where (`price`, `tags.2`, `(body)`) and what. */
export interface RequestIssue {
  readonly path: string;
  readonly message: string;
}

/** The request's body, query string or path parameters do not validate; `issues` says where and why. */
export class InvalidRequestError extends DemoApiError {
  constructor(
    public readonly part: 'body' | 'query' | 'path',
    public readonly issues: readonly RequestIssue[],
  ) {
    super(`invalid request ${part}`);
  }
}
