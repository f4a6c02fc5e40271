import type { FieldDescriptor } from '../manager/api-types.js';

/** The outcome of reading one input: a value for the spec, nothing (left empty), or an error. */
export type FieldReading = { value: unknown } | { empty: true } | { error: string };

const SIZE = /^\s*\d+(\.\d+)?\s*([kmgtp]i?b?|b)?\s*$/i;
const DURATION = /^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+(:\d{2}){0,2})$/;

/**
 * Reads the text of an input as the field's type, with the quick checks a browser can make
 * without asking the server (the server's own validation still runs on every preview).
 */
export function readField(field: FieldDescriptor, text: string, checked = false): FieldReading {
  if (field.type === 'boolean') return { value: checked };
  const raw = text.trim();
  if (raw === '') return field.required ? { error: `${field.label} is required` } : { empty: true };
  switch (field.type) {
    case 'integer': {
      if (!/^\d+$/.test(raw)) return { error: `"${raw}" is not a whole number` };
      return { value: Number(raw) };
    }
    case 'number': {
      if (!/^\d+(\.\d+)?$/.test(raw)) return { error: `"${raw}" is not a number such as 0.8` };
      return { value: Number(raw) };
    }
    case 'bytes':
      return SIZE.test(raw) ? { value: raw } : { error: `"${raw}" is not a size; write e.g. 16GB or 512MiB` };
    case 'duration':
      return DURATION.test(raw)
        ? { value: raw }
        : { error: `"${raw}" is not a duration; write HH:MM:SS, D-HH:MM:SS or minutes` };
    case 'string[]':
    case 'lines':
      return { value: lines(raw) };
    case 'number-map': {
      const out: Record<string, number> = {};
      for (const part of raw
        .split(/[,\n]/)
        .map((p) => p.trim())
        .filter(Boolean)) {
        const m = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(\d+(\.\d+)?)$/.exec(part);
        if (!m) return { error: `"${part}" is not name=number (e.g. gpus=1)` };
        out[m[1]!] = Number(m[2]);
      }
      return { value: out };
    }
    case 'string-map': {
      const out: Record<string, string> = {};
      for (const line of lines(raw)) {
        const eq = line.indexOf('=');
        if (eq <= 0) return { error: `"${line}" is not NAME=value` };
        out[line.slice(0, eq).trim()] = line.slice(eq + 1);
      }
      return { value: out };
    }
    default:
      if (field.choices && !field.choices.includes(raw))
        return { error: `"${raw}" is not one of ${field.choices.join(', ')}` };
      return { value: raw };
  }
}

/** The text an input shows for a spec value. */
export function fieldText(field: FieldDescriptor, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('\n');
  if (typeof value === 'object') {
    const sep = field.type === 'number-map' ? ', ' : '\n';
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(sep);
  }
  return String(value);
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
