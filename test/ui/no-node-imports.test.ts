import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const UI = join(import.meta.dirname, '..', '..', 'core', 'src', 'ui');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('core/src/ui stays browser-only', () => {
  it('imports no Node module and nothing of core but the API types', () => {
    for (const file of files(UI)) {
      const imports = [
        ...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm),
      ].map((m) => m[1]!);
      for (const source of imports) {
        expect(source, file).not.toMatch(
          /^node:|^(fs|path|os|child_process|http|net|crypto|events|ws|msgpackr|yaml)$/,
        );
        // A relative import stays inside core/src/ui, or is the API types.
        if (source.startsWith('.')) {
          const target = relative(UI, resolve(dirname(file), source));
          if (target.startsWith('..')) expect(target, file).toBe(join('..', 'manager', 'api-types.js'));
        }
      }
    }
  });

  it('the lint rule refuses a Node import and innerHTML in a UI file', async () => {
    const eslint = new ESLint({ cwd: join(import.meta.dirname, '..', '..') });
    const [result] = await eslint.lintText(
      "import { readFileSync } from 'node:fs';\nexport const f = (e: HTMLElement): void => {\n  e.innerHTML = readFileSync('x', 'utf8');\n};\n",
      { filePath: join(UI, 'probe.ts') },
    );
    const rules = result!.messages.map((m) => m.ruleId);
    expect(rules).toContain('no-restricted-imports');
    expect(rules).toContain('no-restricted-properties');
  });

  it('the lint rule refuses fetch, WebSocket, localStorage and document.body in a UI component', async () => {
    const eslint = new ESLint({ cwd: join(import.meta.dirname, '..', '..') });
    const [result] = await eslint.lintText(
      "export const f = async (): Promise<unknown> => [await fetch('x'), new WebSocket('ws://x'), localStorage.getItem('k'), document.body];\n",
      { filePath: join(UI, 'probe-view.ts') },
    );
    const rules = result!.messages.map((m) => m.ruleId);
    expect(rules.filter((r) => r === 'no-restricted-globals')).toHaveLength(3);
    expect(rules).toContain('no-restricted-syntax');
  });
});
