// `npm run bench`: the same workloads on Drover and on Dask in one run, a table of medians with
// Drover/Dask ratios, and a JSON file in bench/results/.
//
//   npm run bench [-- --runs 3] [-- --only map10k,chain1k]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '3' }, only: { type: 'string' } },
});
const results = join(here, 'results');
mkdirSync(results, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');

/** Targets from the engine issue; `better` says which direction wins. */
const TARGETS = {
  start: 'Drover ≤ 0.5 s and ≤ ½ Dask',
  map10k: '≥ 20,000 tasks/s and ≥ 25× Dask',
  tree10k: '≥ 25× Dask',
  chain1k: '≤ 0.2 ms per step',
  sleep1k: '≥ 97 % of ideal',
  'sleep1k-timer': '(plain timers: setTimeout / time.sleep)',
  mem100k: '≤ 1 KiB per task, given back',
  million: 'completes, memory bounded',
  'million-stream': 'the same through mapStream (window 10,000)',
};

function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

function daskAvailable() {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import distributed'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const onlyArgs = values.only ? ['--only', values.only] : [];
const droverOut = join(results, `${stamp}-drover.json`);
await run(process.execPath, [
  // gc() lets the million workload read the heap it keeps once every task is released.
  '--expose-gc',
  join(here, 'drover', 'workloads.mjs'),
  '--runs',
  values.runs,
  '--out',
  droverOut,
  ...onlyArgs,
]);
const drover = JSON.parse(readFileSync(droverOut, 'utf8'));

let dask = null;
if (daskAvailable()) {
  const daskOut = join(results, `${stamp}-dask.json`);
  const daskOnly = (values.only ?? 'start,map10k,tree10k,chain1k,sleep1k,sleep1k-timer,mem100k')
    .split(',')
    .filter((n) => n !== 'million');
  if (daskOnly.length > 0) {
    await run('/usr/bin/python3', [
      join(here, 'dask', 'workloads.py'),
      '--runs',
      values.runs,
      '--out',
      daskOut,
      '--only',
      daskOnly.join(','),
    ]);
    dask = JSON.parse(readFileSync(daskOut, 'utf8'));
  }
} else {
  process.stderr.write(
    'Dask is not installed (/usr/bin/python3 -c "import distributed" fails): Drover only.\n',
  );
}

/** One row: the number that matters for each workload, for both engines, and their ratio. */
function row(name) {
  const d = drover.workloads[name];
  const k = dask?.workloads?.[name];
  const fmt = (n, digits = 3) => (n === undefined || n === null ? '—' : Number(n).toFixed(digits));
  switch (name) {
    case 'mem100k':
      return [
        name,
        `${d.bytes_per_task} B/task, ${(d.returned_fraction * 100).toFixed(0)} % back`,
        k ? `${k.bytes_per_task ?? '?'} B/task` : '—',
        k?.bytes_per_task ? `${(k.bytes_per_task / d.bytes_per_task).toFixed(1)}× less` : '—',
      ];
    case 'million-stream':
      return [name, `${fmt(d.median, 1)} s, ${d.tasks_per_s} tasks/s, peak ${d.peak_rss_mib} MiB`, '—', '—'];
    case 'million':
      return [
        name,
        `${fmt(d.median, 1)} s, ${d.tasks_per_s} tasks/s, peak ${d.peak_rss_mib} MiB, ` +
          `${d.heap_kept_after_release_mib ?? '?'} MiB kept after release`,
        '—',
        '—',
      ];
    case 'chain1k':
      return [
        name,
        `${fmt(d.ms_per_step)} ms/step`,
        k ? `${fmt(k.ms_per_step)} ms/step` : '—',
        k ? `${(k.median / d.median).toFixed(1)}×` : '—',
      ];
    case 'sleep1k':
    case 'sleep1k-timer':
      return [
        name,
        `${fmt(d.median)} s (${(d.efficiency * 100).toFixed(1)} %)`,
        k ? `${fmt(k.median)} s (${(k.efficiency * 100).toFixed(1)} %)` : '—',
        k ? `${(k.median / d.median).toFixed(2)}×` : '—',
      ];
    default: {
      const rate = d.tasks_per_s ? `, ${d.tasks_per_s} tasks/s` : '';
      return [
        name,
        `${fmt(d.median)} s${rate}`,
        k ? `${fmt(k.median)} s` : '—',
        k ? `${(k.median / d.median).toFixed(1)}×` : '—',
      ];
    }
  }
}

const rows = [
  ['workload', 'Drover (median)', 'Dask (median)', 'Dask/Drover', 'target'],
  ...Object.keys(drover.workloads).map((n) => [...row(n), TARGETS[n] ?? '']),
];
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
const table = rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join(' | ')).join('\n');
process.stdout.write(`\n${table}\n\n`);
const combined = { drover, dask, table: rows };
const out = join(results, `${stamp}.json`);
writeFileSync(out, JSON.stringify(combined, null, 2) + '\n');
process.stdout.write(`written ${out}\n`);
