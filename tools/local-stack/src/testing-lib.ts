// The stack's defaults, clients and fixtures live in @ddb-os/testing (one place). This file reaches them by relative
// path because the CLI runs under `tsx` and Jest's globalSetup under plain Node resolution, neither of which applies
// the tsconfig path aliases.
// eslint-disable-next-line @nx/enforce-module-boundaries
export * from '../../../libs/testing/src/index';
