import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What {@link parse} returns. */
export interface Parsed<T extends OptionsConfig> {
  values: ReturnType<
    typeof parseArgs<{
      options: T & { help: { type: 'boolean'; short: 'h' } };
      allowPositionals: true;
      strict: true;
    }>
  >['values'];
  positionals: string[];
}

/** A command-line mistake; main prints the message and the command's help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses argv with node's parser; unknown options become a UsageError naming them. */
export function parse<T extends OptionsConfig>(argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({
      args: argv,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** A whole number option ≥ minimum. */
export function integer(value: string | undefined, flag: string, fallback: number, minimum = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < minimum)
    throw new UsageError(`${flag} must be a whole number ≥ ${minimum}, got '${value}'`);
  return n;
}

/** Seconds (a number, or e.g. '90s', '5m', '2h', 'HH:MM:SS') as milliseconds. */
export function seconds(value: string | undefined, flag: string): number | null {
  if (value === undefined) return null;
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(value);
  if (clock) return (Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3])) * 1000;
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)?$/.exec(value);
  if (!match) throw new UsageError(`${flag} must be seconds, '5m', '2h' or HH:MM:SS, got '${value}'`);
  const factor = { s: 1, m: 60, h: 3600 }[match[2] ?? 's']!;
  return Number(match[1]) * factor * 1000;
}

/** `gpus=2,licenses=1` → `{ gpus: 2, licenses: 1 }`. */
export function resources(value: string | undefined): Record<string, number> {
  const result: Record<string, number> = {};
  if (!value) return result;
  for (const part of value.split(',')) {
    const [name, amount] = part.split('=');
    const n = Number(amount);
    if (!name || amount === undefined || !Number.isFinite(n) || n < 0) {
      throw new UsageError(`--resources takes name=amount pairs such as 'gpus=1,licenses=2', got '${part}'`);
    }
    result[name.trim()] = n;
  }
  return result;
}
