#!/usr/bin/env node
// TypeScript notebooks on Drover: installs Deno from npm, pinned to DENO_VERSION (newer kernels publish
// outputs after "idle", which Jupyter front-ends drop), into <repo>/.deno-kernel/, writes a Jupyter
// kernelspec for it, and optionally a deno.json that makes `@drover/core` importable from a notebook
// folder anywhere, with no registry.
//
// Deno is not a devDependency: its package lists every platform's binary as an optional dependency,
// the registry here lacks most of them, and `npm ci` then refuses the lock file.
//
// usage: node scripts/install-deno-kernel.mjs [--name deno] [--notebook-dir DIR]
//   kernelspec -> $XDG_DATA_HOME/jupyter/kernels/<name> (default ~/.local/share/...); idempotent.
//   --notebook-dir DIR writes DIR/deno.json mapping @drover/core and @drover/core/notebook to this
//   checkout's build (run `npm run build` first); their own imports resolve from its node_modules.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { name: { type: 'string', default: 'deno' }, 'notebook-dir': { type: 'string' } },
});
if (!/^[A-Za-z0-9._-]+$/.test(values.name)) {
  console.error(`--name: a kernelspec name is letters, digits, '.', '_' or '-'; got '${values.name}'`);
  process.exit(2);
}

const DENO_VERSION = '2.7.14';
const prefix = join(repo, '.deno-kernel');
const installed = join(prefix, 'node_modules', 'deno', 'package.json');
const version = existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')).version : null;
if (version !== DENO_VERSION) {
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `deno@${DENO_VERSION}`,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  console.log(`installed deno ${DENO_VERSION} in ${prefix}`);
}
const launcher = join(prefix, 'node_modules', '.bin', 'deno');
// The real binary (the .bin entry may be a Node wrapper around it).
const deno = execFileSync(launcher, ['eval', 'console.log(Deno.execPath())'], {
  encoding: 'utf8',
  env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
}).trim();

/** Writes `text` to `path` unless it already holds exactly that; says which. */
function writeIfChanged(path, text) {
  const same = existsSync(path) && readFileSync(path, 'utf8') === text;
  if (!same) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return same ? 'unchanged' : 'wrote';
}

const dataHome = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
const kernelDir = join(dataHome, 'jupyter', 'kernels', values.name);
const spec = {
  argv: [deno, 'jupyter', '--kernel', '--conn', '{connection_file}'],
  display_name: 'TypeScript (Deno)',
  language: 'typescript',
  // Deno 2.7 trusts only its own CA list unless told; NO_COLOR keeps reprs free of ANSI codes.
  env: { DENO_TLS_CA_STORE: 'system,mozilla', DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
};
const kernelJson = join(kernelDir, 'kernel.json');
console.log(`${writeIfChanged(kernelJson, JSON.stringify(spec, null, 2) + '\n')} ${kernelJson} (${deno})`);

if (values['notebook-dir']) {
  const dist = join(repo, 'core', 'dist');
  if (!existsSync(join(dist, 'notebook', 'index.js'))) {
    console.error(`no build in ${dist}; run npm run build first`);
    process.exit(1);
  }
  const config = {
    nodeModulesDir: 'manual',
    imports: {
      '@drover/core': pathToFileURL(join(dist, 'index.js')).href,
      '@drover/core/notebook': pathToFileURL(join(dist, 'notebook', 'index.js')).href,
    },
  };
  const path = join(resolve(values['notebook-dir']), 'deno.json');
  console.log(`${writeIfChanged(path, JSON.stringify(config, null, 2) + '\n')} ${path}`);
}
