// The stack's defaults and clients live in @ddb-os/testing (one place). This file reaches them by relative path
// because the CLI runs under `tsx` and Jest's globalSetup under plain Node resolution, neither of which applies the
// tsconfig path aliases. It imports only the modules it needs, not the barrel (no fault proxy etc. in the CLI).
// eslint-disable-next-line @nx/enforce-module-boundaries
export { ENDPOINT_ENV_VARS } from '../../../libs/testing/src/constants';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { stackEndpoints } from '../../../libs/testing/src/endpoints';
// eslint-disable-next-line @nx/enforce-module-boundaries
export { dynamoClient, s3Client, sqsClient } from '../../../libs/testing/src/clients';
