import { readFile } from 'node:fs/promises';
import { ProfileStore } from '../manager/profile-store.js';
import { importJobqueueSpecs } from '../manager/jobqueue-import.js';
import { parse, UsageError } from './args.js';

export const importJobqueueHelp = `Usage: drover import-jobqueue FILE [--save] [--profiles-file PATH]

Reads dask-jobqueue's jobqueue.yaml (~/.config/dask/jobqueue.yaml) and prints one Drover cluster spec
(JSON, Dask engine) per batch section, with a note for every key renamed or left out. With --save,
saves each as the profile "jobqueue-<kind>", for the dashboard's form, JupyterLab, VS Code and
drover local --profile.

Options:
  --save                    save the specs as profiles
  --profiles-file PATH      where profiles are saved (default ~/.config/drover/profiles.yaml)
  -h, --help                show this help
`;

const OPTIONS = { save: { type: 'boolean' }, 'profiles-file': { type: 'string' } } as const;

/** `drover import-jobqueue FILE`. */
export async function runImportJobqueue(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (values.help) {
    process.stdout.write(importJobqueueHelp);
    return 0;
  }
  if (positionals.length !== 1)
    throw new UsageError('give one file: drover import-jobqueue ~/.config/dask/jobqueue.yaml');
  const imported = importJobqueueSpecs(await readFile(positionals[0]!, 'utf8'));
  for (const { spec, warnings } of imported)
    for (const w of warnings) process.stderr.write(`note (${spec.kind}): ${w}\n`);
  if (values.save) {
    const store = new ProfileStore(values['profiles-file']);
    for (const { spec } of imported) {
      await store.save(`jobqueue-${spec.kind}`, spec);
      process.stderr.write(`saved profile jobqueue-${spec.kind}\n`);
    }
  }
  process.stdout.write(
    JSON.stringify(
      imported.map((i) => i.spec),
      null,
      2,
    ) + '\n',
  );
  return 0;
}
