import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as everything from '@drover/core';
import * as clientRole from '@drover/core/client';
import * as clusterRole from '@drover/core/cluster';
import * as managerRole from '@drover/core/manager';

/** The files of @drover/core that a bundle of `source` takes in, relative to core/dist. */
async function bundledFiles(source: string): Promise<string[]> {
  const result = await build({
    stdin: { contents: source, resolveDir: import.meta.dirname, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    packages: 'bundle',
    external: ['ws', 'msgpackr', 'yaml'],
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs)
    .map((path) => /core\/dist\/(.*)$/.exec(path)?.[1])
    .filter((path): path is string => path !== undefined);
}

describe('entry points by role', () => {
  it('each role exports what the whole package exports for it', () => {
    for (const role of [clientRole, clusterRole, managerRole])
      for (const [name, value] of Object.entries(role))
        expect(everything[name as keyof typeof everything], name).toBe(value);
    expect(clientRole).toHaveProperty('Client');
    expect(clusterRole).toHaveProperty('LocalCluster');
    expect(clusterRole).toHaveProperty('JobQueueCluster');
    expect(managerRole).toHaveProperty('ClusterManager');
    expect(managerRole).toHaveProperty('ApiServer');
  });

  it('a program that only connects bundles neither the manager nor the job queue', async () => {
    const files = await bundledFiles("import { Client } from '@drover/core/client';\nconsole.log(Client);");
    expect(files).toContain('client/client.js');
    expect(files.filter((f) => /^(manager|jobqueue|ui)\//.test(f))).toEqual([]);
  });

  it('a program that starts clusters bundles no manager', async () => {
    const files = await bundledFiles(
      "import { LocalCluster, JobQueueCluster } from '@drover/core/cluster';\nconsole.log(LocalCluster, JobQueueCluster);",
    );
    expect(files).toContain('cluster/local-cluster.js');
    expect(files.filter((f) => /^(manager|ui)\//.test(f))).toEqual([]);
  });
});
