// The stack's defaults and clients live in @ddb-os/testing (one place). The CLI runs under `tsx`, which reads the
// path aliases from the root tsconfig.json, and Jest's globalSetup through the preset's SWC transform, which
// rewrites them (jest.preset.js): both resolve the alias like the tests do.
export { ENDPOINT_ENV_VARS, dynamoClient, s3Client, sqsClient, stackEndpoints } from '@ddb-os/testing';
