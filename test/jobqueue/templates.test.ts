import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BATCH_KINDS,
  builtinTemplateDirectory,
  directiveMatches,
  JobQueueConfigError,
  renderJobScript,
  TEMPLATE_PLACEHOLDERS,
} from '@drover/core';
import { readFileSync } from 'node:fs';

const base = { cores: 2, memory: '4GB' };
const dir = mkdtempSync(join(tmpdir(), 'drover-templates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('job-script templates', () => {
  it('ships one readable template per batch system, using only documented placeholders', () => {
    const readme = readFileSync(join(builtinTemplateDirectory(), 'README.md'), 'utf8');
    for (const name of TEMPLATE_PLACEHOLDERS) expect(readme).toContain(`{{${name}}}`);
    for (const kind of BATCH_KINDS) {
      const text = readFileSync(join(builtinTemplateDirectory(), `${kind}.sh`), 'utf8');
      expect(text.startsWith('{{shebang}}\n')).toBe(true);
      for (const m of text.matchAll(/\{\{(\w+)\}\}/g)) expect(TEMPLATE_PLACEHOLDERS).toContain(m[1]);
    }
  });

  it("uses the user's template for a kind found in templateDirectory, Drover's for the others", () => {
    writeFileSync(
      join(dir, 'slurm.sh'),
      '{{shebang}}\n{{directives}}\n# site policy: always load our module\nmodule load site\n{{workerCommand}}\n',
    );
    const own = renderJobScript('slurm', { ...base, templateDirectory: dir });
    expect(own).toContain('# site policy: always load our module\nmodule load site\n');
    expect(own).not.toContain('Drover worker job');
    expect(renderJobScript('pbs', { ...base, templateDirectory: dir })).toContain('Drover worker job (pbs)');
  });

  it('refuses an unknown placeholder, naming it and the template file', () => {
    writeFileSync(join(dir, 'sge.sh'), '{{shebang}}\n{{python}}\n');
    try {
      renderJobScript('sge', { ...base, templateDirectory: dir });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(JobQueueConfigError);
      expect((e as JobQueueConfigError).field).toBe('templateDirectory');
      expect((e as Error).message).toContain(`${join(dir, 'sge.sh')} uses {{python}}`);
    }
  });

  it('drops lines whose only placeholder is empty, so an empty prologue leaves no blank line', () => {
    const script = renderJobScript('slurm', base);
    expect(script).not.toMatch(/\n\n\n/);
    expect(script.endsWith('\n')).toBe(true);
    expect(script.split('\n').at(-2)).toMatch(/--death-timeout 60$/);
  });
});

describe('jobDirectivesSkip matches whole directives', () => {
  it.each([
    ['--mem=15G', '--mem', true],
    ['--mem=15G', '--mem=15G', true],
    ['--mem=15G', '#SBATCH --mem', true],
    ['--mem-per-cpu=2G', '--mem', false],
    ['--cpus-per-task=8', '-t', false],
    ['-t 01:00:00', '-t', true],
    ['-l walltime=01:00:00', '-l walltime', true],
    ['-l select=1:ncpus=8', '-l walltime', false],
    ['-l select=1:ncpus=8', '-l', true],
    ['-R "rusage[mem=1] span[hosts=1]"', 'span[hosts=1]', false],
  ])('%s with skip %j → %s', (directive, skip, removed) => {
    expect(directiveMatches(directive, skip, '#SBATCH')).toBe(removed);
  });
});
