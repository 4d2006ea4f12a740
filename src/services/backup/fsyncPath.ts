// Moved to platform/fsyncPath.ts (issue 9 item 7); kept while BackupWriter.ts, being edited by the backup
// engineer, still imports it from here. Delete once its import is swapped.
export { fsyncPath } from '../../../platform/fsyncPath.js';
