import { createInfraApp } from './app';
import { recordAssemblyConfig } from './assembly';

const { app, config } = createInfraApp();
// diff/deploy compare this record with their own settings before acting on the assembly.
recordAssemblyConfig(app.synth().directory, config);
