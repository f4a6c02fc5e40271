/**
 * The bounds every value from outside (a cluster spec, an API body, a saved profile) is held to:
 * one table, read by the job-queue options, the manager's spec fields, the JSON Schema and forms.
 *
 * #### Notes
 * The maxima are far above any real job (a whole large node, a year of walltime) and exist so
 * that no value can make arithmetic overflow, a loop run for ever, or a directive read
 * `--mem=InfinityT`. Texts are short because every one ends up on one line of a job script.
 */
export const BOUNDS = {
  /** Cores per batch job. */
  cores: 65_536,
  /** GPUs per batch job. */
  gpus: 1_024,
  /** Memory per batch job or local worker, bytes (1 PiB). */
  memoryBytes: 2 ** 50,
  /** Walltime of one job, seconds (366 days). */
  walltimeSeconds: 366 * 86_400,
  /** Workers (local) or jobs (batch) a cluster is scaled or adapted to. */
  scale: 1_000,
  /** Task slots per local worker. */
  threadsPerWorker: 1_024,
  /** Seconds a worker keeps trying to reach its scheduler. */
  deathTimeoutSeconds: 7 * 86_400,
  /** Amount of one named resource. */
  resourceAmount: 1e9,
  /** Characters of a one-line text (a queue, a path, a directive, an argument). */
  textLength: 1_024,
  /** Characters of one prologue or epilogue line. */
  scriptLineLength: 4_096,
  /** Entries of a list (directives, prologue lines, arguments, pools). */
  listItems: 256,
  /** Entries of a map (environment, resources). */
  mapEntries: 256,
  /** Characters of a name: a cluster, a profile, a map key. */
  nameLength: 64,
} as const;

// C0 controls, DEL, C1 controls (U+0085 NEL among them) and the Unicode line and paragraph
// separators: characters that end a line for some reader of a script, or are invisible.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// The same without tab, which a shell line may hold.
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;

/** Whether `text` holds a control character (tab allowed only with `allowTab`). */
export function hasControlCharacter(text: string, allowTab = false): boolean {
  return (allowTab ? CONTROL_BUT_TAB : CONTROL).test(text);
}

/** How a control character is named in an error: `U+000A (newline)`. */
export function describeControl(text: string, allowTab = false): string {
  const found = (allowTab ? CONTROL_BUT_TAB : CONTROL).exec(text)?.[0] ?? '';
  const code = `U+${found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  const names: Record<string, string> = {
    '\n': 'newline',
    '\r': 'carriage return',
    '\t': 'tab',
    '\0': 'NUL',
  };
  return names[found] ? `${code} (${names[found]})` : code;
}

/**
 * Why `value` is not a whole number in [min, max], or null when it is one. Types, NaN, infinities
 * and fractions all get the same sentence, which names the range.
 */
export function integerProblem(value: unknown, min: number, max: number): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return null;
  return `${shown(value)} is not a whole number between ${min} and ${max}`;
}

/**
 * Why a text is not acceptable: too long, or a control character (a line break would start a
 * new line of the job script). Null when it is fine.
 */
export function textProblem(text: string, maxLength: number, allowTab = false): string | null {
  if (text.length > maxLength) return `is ${text.length} characters long; at most ${maxLength} are allowed`;
  if (hasControlCharacter(text, allowTab))
    return `contains the control character ${describeControl(text, allowTab)}; give one line of printable text`;
  return null;
}

/** A value as an error message shows it: JSON, cut short. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
