import { defaultInstallation, templateDirectoryOf, type Installation } from '../installation.js';
import type { BatchSystem } from './backends/batch-system.js';
import { getBatchSystem } from './backends/index.js';
import type { BatchKind, JobQueueOptions } from './options.js';
import type { ResolvedJob } from './resolved-job.js';
import { checkWord, shellQuote } from './shell-safety.js';
import { fillTemplate, loadTemplate } from './template.js';
import { resolveJob } from './validate.js';
import { bundleCheckLine } from './worker-bundle.js';
import { PREVIEW_CONNECTION, renderWorkerCommand, type SchedulerConnection } from './worker-command.js';

/** What a job script is rendered for: where workers connect and what the worker is called. */
export interface RenderContext {
  /** Default {@link PREVIEW_CONNECTION} (a preview that connects nowhere). */
  readonly connection?: SchedulerConnection;
  /** The worker's `--name`; default the job name. The cluster passes `<cluster>-<n>`. */
  readonly workerName?: string;
  /** A specific dialect (e.g. Torque PBS); default `getBatchSystem(kind)`. */
  readonly system?: BatchSystem;
  /** Where Drover's own templates and default worker command come from; default this process's. */
  readonly installation?: Installation;
}

/** A rendered job script with what it was rendered from. */
export interface RenderedJobScript {
  /** Exactly the text that will be submitted. */
  readonly script: string;
  readonly job: ResolvedJob;
  /** The directive lines, with prefix, as they appear in the script. */
  readonly directives: readonly string[];
  readonly workerCommand: string;
}

/**
 * Whether a skip entry removes a generated directive: the whole directive, or its leading option
 * followed by a space or `=` ("--mem" removes "--mem=15G", "-l walltime" removes
 * "-l walltime=01:00:00"); never a substring ("-t" keeps "--cpus-per-task=8").
 */
export function directiveMatches(directive: string, skip: string, prefix: string): boolean {
  const entry = skip.startsWith(prefix) ? skip.slice(prefix.length).trim() : skip.trim();
  if (entry === '') return false;
  return directive === entry || directive.startsWith(`${entry} `) || directive.startsWith(`${entry}=`);
}

/** Validates `options`, renders the job script for `kind` and returns it with its parts. */
export function prepareJobScript(
  kind: BatchKind,
  options: JobQueueOptions,
  context: RenderContext = {},
): RenderedJobScript {
  return renderResolvedJob(resolveJob(kind, options, context.installation), context);
}

/** Renders the job script of a job validated once before (see `resolveJob`). */
export function renderResolvedJob(job: ResolvedJob, context: RenderContext = {}): RenderedJobScript {
  const kind = job.kind;
  const system = context.system ?? getBatchSystem(kind, job.pbsFlavour ? { pbsFlavor: job.pbsFlavour } : {});
  const prefix = system.directivePrefix;
  const generated = system
    .renderDirectives(job)
    .filter((d) => !job.jobDirectivesSkip.some((skip) => directiveMatches(d, skip, prefix)));
  const directives = [...generated, ...job.jobExtraDirectives].map((d) => `${prefix} ${d}`);
  const workerName = checkWord('workerName', context.workerName ?? job.name);
  const workerCommand = renderWorkerCommand(job, context.connection ?? PREVIEW_CONNECTION, workerName);
  const builtin = templateDirectoryOf(context.installation ?? defaultInstallation());
  const { text, source } = loadTemplate(kind, job.templateDirectory, builtin);
  const script = fillTemplate(
    text,
    {
      shebang: job.shebang,
      kind,
      jobName: job.name,
      processes: String(job.processes),
      directives: directives.join('\n'),
      environment: Object.entries(job.env)
        .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
        .join('\n'),
      // The bundle check runs after the user's prologue, which may be what puts node on the PATH.
      prologue: [
        ...job.prologue,
        ...(job.workerBundle ? [bundleCheckLine(job.workerCommand[0]!, job.workerBundle)] : []),
      ].join('\n'),
      workerCommand,
      epilogue: job.epilogue.join('\n'),
    },
    source,
  );
  return { script, job, directives, workerCommand };
}

/**
 * The job script for `kind` and `options`, exactly as it will be submitted (dask-jobqueue's
 * `job_script()`).
 *
 * @throws JobQueueConfigError naming the option at fault.
 */
export function renderJobScript(
  kind: BatchKind,
  options: JobQueueOptions,
  context: RenderContext = {},
): string {
  return prepareJobScript(kind, options, context).script;
}
