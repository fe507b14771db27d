/** werify's host checks as probers: file_exists, file_contains, process_running. */
export { fileContainsProber } from './host/file-contains.js';
export { fileExistsProber } from './host/file-exists.js';
export { processRunningProber } from './host/process-running.js';
