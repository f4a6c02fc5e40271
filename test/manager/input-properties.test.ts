import { totalmem } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FieldDescriptor, SpecDescription } from '@drover/core';
import { startApi, type ApiAnswer, type TestApi } from '../helpers/api.js';

// Property tests of every API body and every cluster-spec field with arbitrary JSON: the answer is
// always a 400 naming a field (or a valid script), it always arrives, and the manager keeps serving.

let api: TestApi;
let fields: FieldDescriptor[];
/** A local cluster with no workers, whose memory limit lets none start: scaling it is always refused. */
const IDLE = 'idle-' + Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  api = await startApi();
  fields = ((await api.call('GET', '/api/spec')).body as SpecDescription).fields;
  const created = await api.call('POST', '/api/clusters', {
    body: { kind: 'local', name: IDLE, scale: 0, options: { memoryLimit: totalmem() + 1 } },
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await api.close();
});

/** A generous bound per request: the property is that an answer arrives, not how fast. */
const ANSWER_MS = 10_000;
const RUNS = { numRuns: 60 };
const BATCH_KINDS = ['slurm', 'pbs', 'lsf', 'sge'] as const;
// The same set validation/bounds.ts refuses.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_TAB = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
const DIRECTIVE = /^(#SBATCH|#PBS|#BSUB|#\$)/;

async function call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
  const response = await fetch(api.url + path, {
    method,
    headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(ANSWER_MS),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // a job script
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A refusal is a 400 whose error names a field and says the allowed values. */
function expectFieldError(answer: ApiAnswer, prefix = ''): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  const error = (answer.body as { error: { field?: string; message: string } }).error;
  expect(typeof error.field, JSON.stringify(error)).toBe('string');
  expect(error.field!.length).toBeGreaterThan(0);
  if (prefix) expect(error.field!.startsWith(prefix), `${error.field} for ${prefix}`).toBe(true);
  expect(error.message.length).toBeGreaterThan(0);
}

/** A rendered script: no control character anywhere but tabs in shell lines, none in directives. */
function expectCleanScript(script: string): void {
  for (const line of script.split('\n')) {
    expect(CONTROL_BUT_TAB.test(line), JSON.stringify(line)).toBe(false);
    if (DIRECTIVE.test(line)) expect(CONTROL.test(line), JSON.stringify(line)).toBe(false);
  }
}

/** Texts with what breaks scripts: controls, line separators, shell characters, huge lengths. */
const nastyText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('a\nb', 'x\r', '\u2028', '\u0085', 'ok\u0000', '\t', '$(id)', '`id`', '#$ -l h_rt=1'),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);
/** Numbers around and beyond every bound, as JSON carries them. */
const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53, 2 ** 53 + 2, 999_999_999_999_989, 1.5, 65_537),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyText,
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(nastyText, nastyNumber), { maxLength: 300 }),
  fc.dictionary(nastyText, fc.oneof(nastyText, nastyNumber), { maxKeys: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A valid spec of `kind` with one field set to `value`. */
function specWith(kind: string, path: string, value: unknown): Record<string, unknown> {
  const spec: Record<string, unknown> =
    kind === 'local'
      ? { kind, scale: 0, options: {} }
      : { kind, scale: 1, options: { cores: 8, memory: '16GB' } };
  const [head, tail] = path.split('.', 2) as [string, string | undefined];
  if (tail === undefined) spec[head] = value;
  else spec[head] = { ...((spec[head] as object | undefined) ?? {}), [tail]: value };
  return spec;
}

describe('arbitrary input at every edge of the manager API', () => {
  it('every cluster-spec field, any value: a 400 naming that field, or a script with no control character', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        nastyValue,
        fc.constantFrom('/api/render', '/api/export'),
        async (pick, value, route) => {
          const field = fields[pick % fields.length]!;
          const kind = field.kinds[pick % field.kinds.length]!;
          const answer = await call('POST', route, specWith(kind, field.path, value));
          if (answer.status === 200) {
            const script =
              route === '/api/render' ? (answer.body as { script: string }).script : (answer.body as string);
            expectCleanScript(script);
          } else if (field.path === 'kind') expectFieldError(answer, 'kind');
          else expectFieldError(answer, field.path);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('arbitrary JSON as a whole body of render, export, dry run, create and profiles: a 400 naming a field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ kind: fc.constantFrom('local', ...BATCH_KINDS), options: nastyValue }),
          fc.dictionary(fc.string(), nastyValue),
        ),
        fc.constantFrom(
          ['POST', '/api/render'],
          ['POST', '/api/export'],
          ['POST', '/api/dry-run'],
          ['POST', '/api/clusters'],
          ['PUT', '/api/profiles/fuzzed'],
        ),
        async (body, [method, path]) => {
          const answer = await call(method!, path!, body);
          // A body that happens to be a valid spec is accepted (and what it made is removed).
          if (answer.status < 300) {
            if (path === '/api/clusters')
              await call(
                'DELETE',
                `/api/clusters/${encodeURIComponent((answer.body as { name: string }).name)}`,
              );
            return;
          }
          if (path === '/api/dry-run' && answer.status === 502) return; // the batch system's own refusal
          expectFieldError(answer);
        },
      ),
      RUNS,
    );
  });

  it('scale and adapt bodies of any shape: a 400 naming scale or adapt; this machine bounds a local cluster', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.record({ scale: nastyValue }),
          fc.record({ adapt: fc.oneof(nastyValue, fc.record({ minimum: nastyValue, maximum: nastyValue })) }),
          fc.jsonValue(),
        ),
        async (body) => {
          const answer = await call('PATCH', `/api/clusters/${IDLE}`, body);
          if (answer.status === 200) return; // adapt null or maximum 0: nothing starts
          expectFieldError(answer);
          expect(['scale', 'adapt']).toContain(
            (answer.body as { error: { field: string } }).error.field.split('.')[0]!.replace(/\[.*$/, ''),
          );
        },
      ),
      RUNS,
    );
  });

  it('any path parameter, malformed %-escapes included: 400 or 404, never 500', async () => {
    const segment = fc.oneof(
      fc.string({ minLength: 1 }).map((s) => encodeURIComponent(s)),
      fc.constantFrom('%', '%E0%A4%A', '%zz', '%C0%AF', '..%2F..%2Fetc'),
    );
    await fc.assert(
      fc.asyncProperty(
        segment,
        fc.constantFrom(
          '/api/clusters/NAME',
          '/api/clusters/NAME/metrics',
          '/api/clusters/NAME/jobs',
          '/api/clusters/NAME/jobs/NAME/log',
          '/api/profiles/NAME',
        ),
        async (name, template) => {
          const answer = await call('GET', template.replaceAll('NAME', name));
          expect([400, 404], JSON.stringify(answer.body)).toContain(answer.status);
        },
      ),
      RUNS,
    );
  });

  it('a huge cores value answers at once and the manager keeps serving', async () => {
    for (const cores of [999_999_999_999_989, 2 ** 53 - 1, 1e308]) {
      const answer = await call('POST', '/api/render', { kind: 'slurm', options: { cores, memory: '1GB' } });
      expectFieldError(answer, 'options.cores');
      expect((answer.body as { error: { message: string } }).error.message).toMatch(/between 1 and 65536/);
    }
    const numericWalltime = await call('POST', '/api/render', {
      kind: 'sge',
      options: { cores: 2, memory: '1GB', walltime: [90] },
    });
    expectFieldError(numericWalltime, 'options.walltime');
    const newlineInEnv = await call('POST', '/api/render', {
      kind: 'sge',
      options: { cores: 2, memory: '1GB', env: { A: 'x\n#$ -l h_rt=99:00:00' } },
    });
    expectFieldError(newlineInEnv, 'options.env.A');
    const outside = await call('POST', '/api/render', {
      kind: 'slurm',
      options: { cores: 2, memory: '1GB', templateDirectory: '/etc' },
    });
    expectFieldError(outside, 'options.templateDirectory');
  });

  it('afterwards /api/health still answers', async () => {
    const health = await call('GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ready' });
  });
});
