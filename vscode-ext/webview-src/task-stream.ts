// The task-stream webview: the shared task-stream, progress, workers and jobs views of one
// cluster, fed by the manager's events that the extension host forwards.
import {
  DashboardModel,
  JobsView,
  mountView,
  ProgressView,
  TaskStreamView,
  WorkersView,
} from '@drover/core/ui';
import type { TaskStreamState } from '../src/webview/messages';
import { HostChannel } from './host-channel';
import { PostMessagePort } from './post-message-port';

const channel = new HostChannel();
const root = document.getElementById('drover')!;
const model = new DashboardModel(new PostMessagePort(channel), { autoWatch: false });

async function main(): Promise<void> {
  await model.start();
  const stream = mountView(root, new TaskStreamView(model));
  mountView(root, new ProgressView(model));
  mountView(root, new WorkersView(model));
  mountView(root, new JobsView(model));
  const watch = (cluster: string | null): void => {
    channel.setState({ ...(channel.getState<object>() ?? {}), cluster } satisfies TaskStreamState);
    model.watch(cluster);
  };
  channel.onMessage((message) => {
    if (message.type === 'watch') watch(message.cluster);
  });
  // Frames drawn so far, for the benchmark and the UI test (the chart counts them itself).
  setInterval(() => {
    const { frames, rectsDrawn } = stream.chart.stats;
    channel.send({ type: 'stats', frames, rectsDrawn });
  }, 1000);
  (window as unknown as { droverTaskStream: unknown }).droverTaskStream = {
    chart: stream.chart,
    model: model.stream,
  };
  watch(channel.getState<TaskStreamState>()?.cluster ?? null);
  channel.send({ type: 'ready' });
}

main().catch((error: Error) => {
  root.textContent = `The task stream could not start: ${error.message}`;
});
