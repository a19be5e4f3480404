export { sleep, type Sleep } from './sleep';
export { writeAtomically } from './atomic-write';
export { awsClientConfig, REAL_AWS_ENDPOINT, type AwsClientConfig } from './aws-client-config';
export { parseJsonText, zodIssuesText, type JsonText } from './json-text';
export { EXIT } from './exit-codes';
export { loadModuleAt, type LoadedModule } from './load-module';
