// Sizes and durations as people write them and as each batch system wants them. The bottom of the
// house: every layer may use these; they import nothing of Drover's.
export { JobQueueConfigError } from './config-error.js';
export {
  parseBytes,
  formatSlurmMemory,
  formatPbsMemory,
  formatLsfMemory,
  formatSgeMemory,
  type LsfUnit,
} from './memory.js';
export { parseWalltime, formatHms, formatSlurmWalltime, formatLsfWalltime } from './walltime.js';
