import { describe, expect, it } from 'vitest';
import {
  clusterSpecJsonSchema,
  JOB_QUEUE_OPTIONS,
  specFields,
  SpecError,
  validateClusterSpec,
} from '@drover/core';

function fieldOf(input: unknown): string {
  try {
    validateClusterSpec(input);
  } catch (e) {
    if (e instanceof SpecError) return e.field;
    throw e;
  }
  throw new Error('the spec was accepted');
}

describe('ClusterSpec', () => {
  it('fills in defaults: a local cluster of 2 workers, a batch cluster of 1 job', () => {
    expect(validateClusterSpec({ kind: 'local' })).toMatchObject({
      kind: 'local',
      scale: 2,
      adapt: null,
      options: {},
    });
    const slurm = validateClusterSpec({ kind: 'slurm', options: { cores: 4, memory: '8GB' } });
    expect(slurm).toMatchObject({ kind: 'slurm', scale: 1 });
  });

  it('names the field at fault, as a path in the spec', () => {
    expect(fieldOf({ kind: 'kubernetes' })).toBe('kind');
    expect(fieldOf({ kind: 'local', scale: -1 })).toBe('scale');
    expect(fieldOf({ kind: 'local', scale: 1.5 })).toBe('scale');
    expect(fieldOf({ kind: 'local', adapt: { minimum: 3, maximum: 1 } })).toBe('adapt.maximum');
    expect(fieldOf({ kind: 'local', name: 'a\nb' })).toBe('name');
    expect(fieldOf({ kind: 'local', options: { threadsPerWorker: 0 } })).toBe('options.threadsPerWorker');
    expect(fieldOf({ kind: 'local', options: { memoryLimit: 'lots' } })).toBe('options.memoryLimit');
    expect(fieldOf({ kind: 'local', options: { cores: 2 } })).toBe('options.cores');
    expect(fieldOf({ kind: 'slurm', options: { memory: '8GB' } })).toBe('options.cores');
    expect(fieldOf({ kind: 'slurm', options: { cores: 4, memory: '8GB', walltime: 'soon' } })).toBe(
      'options.walltime',
    );
    expect(fieldOf({ kind: 'pbs', options: { cores: 4, memory: '8GB', queue: 'a b' } })).toBe(
      'options.queue',
    );
    expect(
      fieldOf({ kind: 'slurm', options: { cores: 4, memory: '8GB', jobExtraDirectives: ['ok', 'x\ny'] } }),
    ).toBe('options.jobExtraDirectives[1]');
    expect(fieldOf({ kind: 'local', workers: 2 })).toBe('workers');
  });

  it('error messages say how to fix the value', () => {
    expect(() =>
      validateClusterSpec({ kind: 'slurm', options: { cores: 4, memory: '8GB', walltime: 'soon' } }),
    ).toThrow(/options\.walltime: .*HH:MM:SS/);
  });

  it('allows any printable cluster name (names are shown as text, never as markup)', () => {
    expect(validateClusterSpec({ kind: 'local', name: '<img src=x onerror=alert(1)>' }).name).toBe(
      '<img src=x onerror=alert(1)>',
    );
  });

  it('has a form field with help text for every job-queue option, read from JOB_QUEUE_OPTIONS', () => {
    const fields = specFields();
    for (const option of JOB_QUEUE_OPTIONS) {
      const field = fields.find(
        (f) => f.path === `options.${option.name}` && f.kinds.includes(option.backends?.[0] ?? 'slurm'),
      );
      expect(field, option.name).toBeDefined();
      expect(field!.help).toBe(option.help);
      expect(field!.default).toEqual(option.default);
    }
    for (const field of fields) expect(field.help.length, field.path).toBeGreaterThan(10);
  });

  it('exports a JSON Schema whose options depend on the kind, with help and defaults', () => {
    const schema = clusterSpecJsonSchema() as {
      properties: Record<string, { enum?: string[] }>;
      allOf: {
        if: { properties: { kind: { const: string } } };
        then: {
          properties: {
            options: {
              properties: Record<string, { description: string; default?: unknown }>;
              required: string[];
            };
          };
        };
      }[];
    };
    expect(schema.properties.kind!.enum).toEqual(['local', 'slurm', 'pbs', 'lsf', 'sge']);
    const slurm = schema.allOf.find((a) => a.if.properties.kind.const === 'slurm')!.then.properties.options;
    expect(slurm.required).toEqual(['cores', 'memory']);
    expect(slurm.properties.walltime!.default).toBe('00:30:00');
    expect(slurm.properties.jobMem!.description).toMatch(/SLURM --mem/);
    expect(slurm.properties.useStdin).toBeUndefined(); // LSF only
    const local = schema.allOf.find((a) => a.if.properties.kind.const === 'local')!.then.properties.options;
    expect(Object.keys(local.properties).sort()).toEqual([
      'memoryLimit',
      'pools',
      'python',
      'resources',
      'threadsPerWorker',
    ]);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
