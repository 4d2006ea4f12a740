// The register time zone is one setting (protocols/gb-link/registerTimeZone.ts, SPEC.md §4.1); this
// module only keeps the names initialization already imports.
export { DEFAULT_REGISTER_UTC_OFFSET_MINUTES, epochOfLocal, localDateTime } from '../../../protocols/gb-link/registerTimeZone.js';
