import { describeControl, hasControlCharacter } from '../validation/bounds.js';
import { JobQueueConfigError } from './errors.js';

// Named so the error can say which character is at fault and why it matters.
const DANGEROUS: readonly [RegExp, string][] = [
  [/\n/, 'a newline (it would start a new line of the job script)'],
  [/\r/, 'a carriage return'],
  [/\0/, 'a NUL byte'],
  [/\$\(/, '"$(" (command substitution)'],
  [/`/, 'a backtick (command substitution)'],
  [/;/, '";" (a shell command separator)'],
  [/&/, '"&" (runs a shell command in the background)'],
  [/\|/, '"|" (a shell pipe)'],
  [/[<>]/, '"<" or ">" (shell redirection)'],
  [/['"]/, 'a quote'],
  [/\\/, 'a backslash'],
  [/\s/, 'whitespace'],
];

function refuse(field: string, value: string, allowed: string): never {
  const found = DANGEROUS.find(([re]) => re.test(value));
  const what = found
    ? `contains ${found[1]}`
    : value.includes('$')
      ? 'contains "$"'
      : 'contains a character that is not allowed';
  throw new JobQueueConfigError(field, `${JSON.stringify(value)} ${what}; use ${allowed}`);
}

const WORD = /^[A-Za-z0-9_.@+:-]+$/;
const PATH = /^[A-Za-z0-9_@%+=:,./~-]+$/;
// $VAR and ${VAR} are allowed where the shell expands them (`localDirectory: "$TMPDIR"` on the node).
const PATH_WITH_VARS = /^(?:[A-Za-z0-9_@%+=:,./~-]|\$[A-Za-z_][A-Za-z0-9_]*|\$\{[A-Za-z_][A-Za-z0-9_]*\})+$/;

/** Refuses anything but a plain word (queue, account, job name, interface). */
export function checkWord(field: string, value: string): string {
  if (value.length === 0) throw new JobQueueConfigError(field, 'is empty; leave it unset instead');
  if (!WORD.test(value)) refuse(field, value, 'letters, digits and _ . - @ + : only');
  return value;
}

/**
 * Refuses paths that could break out of the job script. With `variables`, `$VAR`/`${VAR}`
 * references are allowed (for paths the shell expands on the compute node; batch directives and
 * files Drover writes itself need literal paths).
 */
export function checkPath(field: string, value: string, variables = false): string {
  if (value.length === 0) throw new JobQueueConfigError(field, 'is empty; leave it unset instead');
  if (!(variables ? PATH_WITH_VARS : PATH).test(value)) {
    const vars = variables ? ' and $VAR or ${VAR} references' : '';
    const why =
      !variables && value.includes('$') ? ' ($VAR is not expanded here: give the literal path)' : '';
    refuse(field, value, `letters, digits, _ @ % + = : , . / -${vars} only${why}`);
  }
  return value;
}

/**
 * Refuses text that would end its line of the script, or hide in it: any control character
 * (newline, carriage return, NUL, escape, U+2028, …) in a directive, an argument, a setting.
 */
export function checkOneLine(field: string, value: string): string {
  if (/[\n\r\u2028\u2029\u0085]/.test(value)) {
    throw new JobQueueConfigError(
      field,
      `${JSON.stringify(value)} spans several lines; give one entry per line instead`,
    );
  }
  if (hasControlCharacter(value))
    throw new JobQueueConfigError(
      field,
      `${JSON.stringify(value)} contains the control character ${describeControl(value)}; use printable text`,
    );
  return value;
}

/** A prologue or epilogue line: like {@link checkOneLine}, but a tab (indentation) is allowed. */
export function checkScriptLine(field: string, value: string): string {
  if (hasControlCharacter(value, true)) {
    throw new JobQueueConfigError(
      field,
      `${JSON.stringify(value)} contains the control character ${describeControl(value, true)}; give one entry per line of printable text`,
    );
  }
  return value;
}

/**
 * Quotes one argument for a POSIX shell, leaving plain words as they are so the script stays
 * readable.
 */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
