// Public API of Drover's job-queue half: options, job scripts, batch systems, tracking, profiles.
export * from './options.js';
export * from './option-specs.js';
export type { ResolvedJob } from './resolved-job.js';
export { JobQueueConfigError, BatchCommandError, BatchParseError, type CommandOutcome } from './errors.js';
export { resolveJob, defaultProcesses } from './validate.js';
// Sizes and durations, which the job queue's options use most; they live at the bottom of the house.
export * from '../units/index.js';
export { detectLsfUnit, normaliseLsfUnit } from './lsf-units.js';
export { checkWord, checkPath, checkOneLine, shellQuote } from './shell-safety.js';
export {
  workerArgv,
  renderWorkerCommand,
  PREVIEW_CONNECTION,
  type SchedulerConnection,
} from './worker-command.js';
export { bundleCheckLine, placeWorkerBundle, workerBundleIn, type WorkerBundle } from './worker-bundle.js';
export { TEMPLATE_PLACEHOLDERS, loadTemplate, fillTemplate, type TemplateValues } from './template.js';
export {
  renderJobScript,
  prepareJobScript,
  renderResolvedJob,
  directiveMatches,
  type RenderContext,
  type RenderedJobScript,
} from './render.js';
// Renamed here: the worker's command tasks own the names CommandSpec and CommandResult.
export type {
  BatchSystem,
  CommandSpec as BatchCommand,
  CommandResult as BatchCommandResult,
  CommandRunner,
} from './backends/batch-system.js';
export { getBatchSystem, type BatchSystemOptions } from './backends/index.js';
export { slurm, slurmState, parseSacct, parseJobcompLog } from './backends/slurm.js';
export {
  pbs,
  pbsBatchSystem,
  parseQstatFull,
  parseQstatFullBlocks,
  pbsExit,
  pbsFlavorFromVersion,
  pbsResourceRequest,
  type PbsFlavor,
} from './backends/pbs.js';
export { lsf, lsfState, BJOBS_FIELDS } from './backends/lsf.js';
export { sge, sgeState, parseQacct, parseSchedulingInfo } from './backends/sge.js';
export { isFinal, endReasonOf, type JobState, type EndReason } from './job-state.js';
export { commandRunner, describeCommand, type CommandOptions } from './run-command.js';
export { submitJob, pollJobs, cancelJobs, dryRunJob, type DryRunResult } from './batch-client.js';
export { jobsForScale, type JobScaleRequest, type JobShape } from './scale.js';
export { JobTracker, type TrackedJob, type JobTrackerOptions } from './tracker.js';
export { LeftoverJobsFile, type LeftoverJob, type OrphanedJobs } from './leftover-jobs.js';
export { cancelOrphanedJobs, type OrphanCleanup } from './orphans.js';
export { writeTokenFile } from './token-file.js';
export {
  loadProfiles,
  saveProfile,
  deleteProfile,
  defaultProfilesPath,
  type JobQueueProfile,
} from './profiles.js';
export { importDaskJobqueueConfig, type DaskImportResult } from './dask-import.js';
export {
  builtinTemplateDirectory,
  droverBinPath,
  userConfigDirectory,
  userStateDirectory,
} from './default-paths.js';
export { adaptBoundsInJobs, JobQueueCluster, type JobQueueClusterStatus } from './job-queue-cluster.js';
export type { JobQueueClusterOptions, JobQueueClusterSettings } from './job-queue-cluster-options.js';
export { interfaceAddress, schedulerHost } from './network-interface.js';
export { SlurmCluster, PbsCluster, LsfCluster, SgeCluster } from './named-clusters.js';
export { startFromProfile, type FromProfileOptions } from './profile-cluster.js';
export { Executions, type ExecutionDefinition, type ExecutionsConfig } from './executions.js';
