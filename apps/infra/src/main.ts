import { createInfraApp } from './app';

createInfraApp().app.synth();
