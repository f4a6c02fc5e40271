// The demo `npm start` runs: a LocalCluster on this machine, a workload with a progress line, and
// how to connect a second program to the same cluster. Ctrl-C stops it and its workers.
import { Client, LocalCluster } from '@drover/core';

const cluster = await LocalCluster.start({ workers: 2, threadsPerWorker: 1 });
const client = await Client.connect(cluster);
const address = `${cluster.schedulerAddress}?token=${cluster.token}`;
process.stdout.write(
  `Drover local cluster: ${cluster.scheduler.workers.size} workers at ${cluster.schedulerAddress}\n` +
    `  status:  ${cluster.scheduler.httpUrl}/status?token=${cluster.token}\n` +
    `  connect: const client = await Client.connect('${address}');\n` +
    `  press Ctrl-C to stop\n\n`,
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nstopping…\n');
  await client.close();
  await cluster.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// Blocks of a "trajectory", analysed in parallel, then reduced: the shape of PMDA's workflow.
const rmsd = (block) => {
  let sum = 0;
  for (let i = 0; i < 20_000; i++) sum += Math.sin(block * 1e4 + i) ** 2;
  return Math.sqrt(sum / 20_000);
};
for (let round = 1; !stopping; round++) {
  const started = performance.now();
  const blocks = client.map(
    rmsd,
    Array.from({ length: 2000 }, (_, i) => i + round * 2000),
    { pure: false },
  );
  await client.wait(blocks, {
    onProgress: (done, total) => {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stdout.write(
        `\rround ${round} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} tasks`,
      );
    },
  });
  if (stopping) break;
  const values = await client.gather(blocks);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`  mean ${mean.toFixed(4)}, ${Math.round(values.length / seconds)} tasks/s\n`);
  for (const f of blocks) f.release();
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
