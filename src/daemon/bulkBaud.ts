// Moved to src/devices/bulkBaud.ts (issue 9 item 7), where services can reach it. Kept only while the
// daemon's backup wiring (being moved to src/daemon/areas by the daemon engineer) and the bench import it here.
export { bulkRate, withBulkBaud } from '../devices/bulkBaud.js';
