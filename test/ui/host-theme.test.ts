import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBrowser } from '../helpers/browser.js';

const CSS = readFileSync(
  join(import.meta.dirname, '..', '..', 'core', 'src', 'ui', 'styles', 'dashboard.css'),
  'utf8',
);

/**
 * A page with the stylesheet and one `.drover-root` per host: plain (Drover's own colours), inside
 * JupyterLab's variables, inside VS Code's; each holds a button, a primary button and an input.
 */
const PAGE = `<!doctype html><html><head><style>${CSS}
  .jp { --jp-layout-color1: rgb(1, 2, 3); --jp-ui-font-color1: rgb(4, 5, 6); --jp-brand-color1: rgb(7, 8, 9);
        --jp-input-background: rgb(10, 11, 12); --jp-ui-font-family: JupyterFont; }
  .vscode { --vscode-editor-background: rgb(31, 32, 33); --vscode-foreground: rgb(34, 35, 36);
            --vscode-button-background: rgb(37, 38, 39); --vscode-button-foreground: rgb(40, 41, 42);
            --vscode-input-background: rgb(43, 44, 45); --vscode-font-family: CodeFont; }
</style></head><body>
  <div id="plain" class="drover-root"><button class="drover-primary">Go</button><input></div>
  <div class="jp"><div id="jp" class="drover-root"><button class="drover-primary">Go</button><input></div></div>
  <div class="vscode"><div id="vscode" class="drover-root"><button class="drover-primary">Go</button><input></div></div>
</body></html>`;

describe('the stylesheet takes its colours from the host', () => {
  it('JupyterLab and VS Code variables first; Drover light, dark and high contrast where there are none', async () => {
    const { page } = await openBrowser();
    await page.setContent(PAGE);
    const look = (id: string) =>
      page.evaluate((id) => {
        const root = document.getElementById(id)!;
        const style = (e: Element) => getComputedStyle(e);
        return {
          background: style(root).backgroundColor,
          color: style(root).color,
          font: style(root).fontFamily,
          primary: style(root.querySelector('.drover-primary')!).backgroundColor,
          input: style(root.querySelector('input')!).backgroundColor,
        };
      }, id);

    expect(await look('jp')).toEqual({
      background: 'rgb(1, 2, 3)',
      color: 'rgb(4, 5, 6)',
      font: 'JupyterFont',
      primary: 'rgb(7, 8, 9)',
      input: 'rgb(10, 11, 12)',
    });
    expect(await look('vscode')).toEqual({
      background: 'rgb(31, 32, 33)',
      color: 'rgb(34, 35, 36)',
      font: 'CodeFont',
      primary: 'rgb(37, 38, 39)',
      input: 'rgb(43, 44, 45)',
    });

    const plain = async (theme: string) => {
      await page.evaluate((t) => (document.getElementById('plain')!.dataset.theme = t), theme);
      return look('plain');
    };
    expect(await plain('light')).toMatchObject({
      background: 'rgb(247, 247, 248)',
      color: 'rgb(29, 31, 35)',
    });
    expect(await plain('dark')).toMatchObject({ background: 'rgb(21, 23, 28)', color: 'rgb(230, 232, 238)' });
    expect(await plain('high-contrast')).toMatchObject({
      background: 'rgb(0, 0, 0)',
      color: 'rgb(255, 255, 255)',
      primary: 'rgb(255, 255, 0)',
    });
    // A host's variables win over Drover's theme choice.
    await page.evaluate(() => (document.getElementById('vscode')!.dataset.theme = 'high-contrast'));
    expect((await look('vscode')).background).toBe('rgb(31, 32, 33)');

    // Nothing outside a .drover-root is styled: the page keeps the browser's defaults.
    const body = await page.evaluate(() => ({
      margin: getComputedStyle(document.body).margin,
      background: getComputedStyle(document.body).backgroundColor,
    }));
    expect(body).toEqual({ margin: '8px', background: 'rgba(0, 0, 0, 0)' });
  });
});
