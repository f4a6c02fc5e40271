import type { ClusterKind, FieldDescriptor } from '../api-types.js';
import { CLUSTER_KINDS, specFields } from './fields.js';
import { MAX_SCALE } from './validate-spec.js';
import { BOUNDS } from '../../validation/bounds.js';

type Schema = Record<string, unknown>;

/** No control character (the same set `validation/bounds.ts` refuses). */
const ONE_LINE = '^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]*$';
const text = (minLength: number): Schema => ({
  type: 'string',
  minLength,
  maxLength: BOUNDS.textLength,
  pattern: ONE_LINE,
});

/** The value part of a field's schema, by field type. */
function valueSchema(field: FieldDescriptor): Schema {
  switch (field.type) {
    case 'integer':
      return {
        type: 'integer',
        minimum: field.minimum ?? 1,
        ...(field.maximum !== undefined ? { maximum: field.maximum } : {}),
      };
    case 'number':
      return { type: 'number', minimum: 0, maximum: 1 };
    case 'bytes':
    case 'duration':
      return { type: ['string', 'integer'], maxLength: BOUNDS.textLength };
    case 'boolean':
      return { type: 'boolean' };
    case 'string[]':
      return { type: 'array', items: text(1), maxItems: BOUNDS.listItems };
    case 'lines':
      return {
        oneOf: [
          {
            type: 'array',
            items: { type: 'string', maxLength: BOUNDS.scriptLineLength },
            maxItems: BOUNDS.listItems,
          },
          { type: 'string' },
        ],
      };
    case 'number-map':
      return {
        type: 'object',
        maxProperties: BOUNDS.mapEntries,
        additionalProperties: { type: 'number', minimum: 0, maximum: BOUNDS.resourceAmount },
      };
    case 'string-map':
      return {
        type: 'object',
        maxProperties: BOUNDS.mapEntries,
        additionalProperties: { type: 'string', maxLength: BOUNDS.scriptLineLength, pattern: ONE_LINE },
      };
    case 'command':
      return {
        oneOf: [{ type: 'array', items: text(1), minItems: 1, maxItems: BOUNDS.listItems }, text(1)],
      };
    default:
      return field.choices ? { type: 'string', enum: field.choices } : text(0);
  }
}

/** Whether a default can go in `default` (it is a value of the field's type, not a description). */
function literalDefault(field: FieldDescriptor): boolean {
  const d = field.default;
  if (d === undefined) return false;
  if (field.type === 'integer') return typeof d === 'number';
  if (field.type === 'boolean') return typeof d === 'boolean';
  if (field.type === 'string[]' || field.type === 'lines') return Array.isArray(d);
  return typeof d === 'string' && !d.includes('<') && !/^(about|max|from) /.test(d);
}

function propertySchema(field: FieldDescriptor): Schema {
  return {
    title: field.label,
    description: field.help,
    ...valueSchema(field),
    ...(literalDefault(field) ? { default: field.default } : {}),
    ...(field.default !== undefined && !literalDefault(field)
      ? { 'x-default-text': String(field.default) }
      : {}),
    'x-section': field.section,
  };
}

/** The `options` schema of one kind: its parameters, nothing else. */
function optionsSchema(kind: ClusterKind): Schema {
  const fields = specFields().filter((f) => f.path.startsWith('options.') && f.kinds.includes(kind));
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(fields.map((f) => [f.path.slice('options.'.length), propertySchema(f)])),
    required: fields.filter((f) => f.required).map((f) => f.path.slice('options.'.length)),
  };
}

/**
 * The cluster spec as a JSON Schema (draft 2020-12), for editor settings (VS Code `contributes.
 * configuration`), JupyterLab's settings registry and any other tool: every parameter with its
 * title, help text and default; `options` depends on `kind`.
 */
export function clusterSpecJsonSchema(): Schema {
  const common = Object.fromEntries(
    specFields()
      .filter((f) => !f.path.startsWith('options.') && !f.path.startsWith('tls.'))
      .map((f) => [f.path, propertySchema(f)]),
  );
  const tlsFields = specFields().filter((f) => f.path.startsWith('tls.'));
  common.tls = {
    type: ['object', 'null'],
    title: 'TLS',
    description: 'Certificate files to serve wss:// with; absent or null for plain ws://.',
    properties: Object.fromEntries(tlsFields.map((f) => [f.path.slice('tls.'.length), propertySchema(f)])),
    additionalProperties: false,
  };
  common.kind = { ...common.kind, type: 'string', enum: CLUSTER_KINDS, default: 'local' };
  common.name = { ...common.name, type: 'string', minLength: 1, maxLength: 64 };
  common.scale = { ...common.scale, type: 'integer', minimum: 0, maximum: MAX_SCALE };
  common.adapt = {
    ...common.adapt,
    type: ['object', 'null'],
    properties: {
      minimum: { type: 'integer', minimum: 0, maximum: MAX_SCALE, default: 0 },
      maximum: { type: 'integer', minimum: 0, maximum: MAX_SCALE },
    },
    required: ['maximum'],
    additionalProperties: false,
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:drover:cluster-spec',
    title: 'Drover cluster spec',
    description:
      'A cluster for Drover to start: local worker processes or batch jobs (SLURM, PBS, LSF, SGE).',
    type: 'object',
    required: ['kind'],
    additionalProperties: false,
    properties: { ...common, options: { type: 'object' } },
    allOf: CLUSTER_KINDS.map((kind) => ({
      if: { properties: { kind: { const: kind } } },
      then: { properties: { options: optionsSchema(kind) } },
    })),
  };
}
