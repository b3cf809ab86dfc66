// Must NOT compile: only the exports map's entries are the package's API.
import { CnError } from 'cognito-newman/dist/src/errors.js';
export const e: unknown = CnError;
