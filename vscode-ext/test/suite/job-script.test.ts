import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterSpec } from '@drover/core/ui';
import { droverApi, waitFor } from './helpers';

const slurm: ClusterSpec = {
  kind: 'slurm',
  options: { cores: 4, memory: '8GB', walltime: '01:00:00', queue: 'debug' },
};

suite('job scripts: preview document and export', () => {
  test('Preview Job Script opens an untitled shellscript document holding exactly the rendered script', async () => {
    const api = await droverApi();
    const doc = await vscode.commands.executeCommand<vscode.TextDocument>('drover.previewJobScript', slurm);
    assert.equal(doc.languageId, 'shellscript');
    assert.equal(doc.isUntitled, true);
    const rendered = await (await api.service.client()).render(slurm);
    assert.equal(doc.getText(), rendered.script);
    assert.match(doc.getText(), /#SBATCH/);
  });

  test('the document follows the spec as it changes, and keeps the last script while it is invalid', async () => {
    const api = await droverApi();
    const client = await api.service.client();
    const changed: ClusterSpec = { ...slurm, options: { ...slurm.options, cores: 16, queue: 'batch' } };
    await api.jobScript.follow(changed);
    const expected = (await client.render(changed)).script;
    await waitFor('the document updated', () => api.jobScript.current?.getText() === expected);
    await api.jobScript.follow({ ...slurm, options: { walltime: 'soon' } });
    assert.equal(api.jobScript.current?.getText(), expected);
  });

  test('every kind renders in the preview document', async () => {
    for (const kind of ['local', 'slurm', 'pbs', 'lsf', 'sge'] as const) {
      const spec: ClusterSpec = kind === 'local' ? { kind } : { kind, options: { cores: 2, memory: '4GB' } };
      const doc = await vscode.commands.executeCommand<vscode.TextDocument>('drover.previewJobScript', spec);
      const rendered = await (await (await droverApi()).service.client()).render(spec);
      assert.equal(doc.getText(), rendered.script, kind);
    }
  });

  test('Export Job Script… writes the script to the chosen file', async () => {
    const api = await droverApi();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-export-'));
    try {
      const target = vscode.Uri.file(path.join(dir, 'job.sh'));
      await vscode.commands.executeCommand('drover.exportJobScript', slurm, target);
      assert.equal(
        fs.readFileSync(target.fsPath, 'utf8'),
        (await (await api.service.client()).render(slurm)).script,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
