import { BOUNDS, integerProblem, shown, textProblem } from '../validation/bounds.js';
import { JobQueueConfigError } from './errors.js';
import { JOB_QUEUE_OPTIONS, type OptionSpec } from './option-specs.js';

const SPECS = new Map<string, OptionSpec>(JOB_QUEUE_OPTIONS.map((s) => [s.name, s]));

/**
 * Holds every job-queue option to its type's bounds before anything reads it: integers within the
 * option's range, texts short and on one line, lists and maps of bounded size, environment values
 * without line breaks. The readers in `validate.ts` then check meaning (a walltime, a path, a word).
 *
 * @throws JobQueueConfigError naming the option (and entry) at fault and the allowed range.
 */
export function checkOptionBounds(options: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(options)) {
    const spec = SPECS.get(name);
    if (spec === undefined || value === undefined) continue;
    checkOne(spec, value);
  }
}

const fail = (field: string, why: string): never => {
  throw new JobQueueConfigError(field, why);
};

const text = (field: string, value: string, max: number = BOUNDS.textLength, allowTab = false): void => {
  const problem = textProblem(value, max, allowTab);
  if (problem) fail(field, `${shown(value)} ${problem}`);
};

const list = (field: string, value: unknown): unknown[] => {
  if (!Array.isArray(value)) return fail(field, 'must be a list of strings, one entry per item');
  if (value.length > BOUNDS.listItems)
    fail(field, `has ${value.length} entries; at most ${BOUNDS.listItems} are allowed`);
  return value;
};

const map = (field: string, value: unknown): [string, unknown][] => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail(field, 'must be a map of names to values, e.g. {"NAME": "value"}');
  const entries = Object.entries(value);
  if (entries.length > BOUNDS.mapEntries)
    fail(field, `has ${entries.length} entries; at most ${BOUNDS.mapEntries} are allowed`);
  for (const [key] of entries) text(`${field} key`, key, BOUNDS.nameLength);
  return entries;
};

function checkOne(spec: OptionSpec, value: unknown): void {
  const field = spec.name;
  switch (spec.type) {
    case 'integer': {
      const problem = integerProblem(value, spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER);
      if (problem) fail(field, problem);
      return;
    }
    case 'number':
      // The option's reader checks the range (e.g. a fraction of the memory limit).
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(field, `${shown(value)} is not a number`);
      return;
    case 'bytes':
    case 'duration':
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) fail(field, `${shown(value)} is not a finite number`);
      } else if (typeof value === 'string') text(field, value);
      else
        fail(
          field,
          `${shown(value)} is not a string such as "${spec.type === 'bytes' ? '16GB' : '01:00:00'}" or a number`,
        );
      return;
    case 'boolean':
      return;
    case 'string':
      // A few string options also take a number (lifetimeMargin); their readers check the type.
      if (typeof value === 'string') text(field, value);
      return;
    case 'string[]':
    case 'command':
      if (spec.type === 'command' && typeof value === 'string') return text(field, value);
      list(field, value).forEach((item, i) => {
        if (typeof item === 'string') text(`${field}[${i}]`, item);
      });
      return;
    case 'lines': {
      const lines = typeof value === 'string' ? value.split(/\r?\n/) : list(field, value);
      if (lines.length > BOUNDS.listItems)
        fail(field, `has ${lines.length} lines; at most ${BOUNDS.listItems} are allowed`);
      lines.forEach((line, i) => {
        if (typeof line === 'string') text(`${field}[${i}]`, line, BOUNDS.scriptLineLength, true);
      });
      return;
    }
    case 'string-map':
      for (const [key, v] of map(field, value)) {
        if (typeof v === 'string') text(`${field}.${key}`, v, BOUNDS.scriptLineLength);
        else if (typeof v === 'number' && !Number.isFinite(v))
          fail(`${field}.${key}`, `${shown(v)} is not a finite number`);
      }
      return;
    case 'number-map':
      for (const [key, v] of map(field, value)) {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > BOUNDS.resourceAmount)
          fail(`${field}.${key}`, `${shown(v)} is not a number between 0 and ${BOUNDS.resourceAmount}`);
      }
      return;
  }
}
