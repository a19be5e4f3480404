export { sleep, type Sleep } from './sleep';
export { writeAtomically } from './atomic-write';
