#!/usr/bin/env node
'use strict';
/*
 * `npx ddb-os …` (root package.json `bin`). Runs the TypeScript entry through tsx, a dev dependency `npm ci`
 * installs: it works on a fresh clone without a build, and it always reads the workspace's sync definition
 * (syncs/sync.config.ts) and any `--definition` module as they are now, where a bundle would freeze the definition
 * it was built from. `nx run cli:build` still bundles dist/apps/cli/ddb-os.js for a machine without the workspace.
 */
const path = require('node:path');

const workspace = path.resolve(__dirname, '../../..');
// The Lambdas run on Node.js 22; the SDK's notice about Node 20 is only noise for a local tool (as in jest.preset.js).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The workspace path aliases (@ddb-os/*) for the entry and for definition modules outside the workspace.
process.env.TSX_TSCONFIG_PATH ??= path.join(workspace, 'tsconfig.base.json');
require('tsx/cjs/api').register();
require(path.join(workspace, 'apps/cli/src/main.ts'));
