// The task-stream webview: the shared chart, progress bars, worker and job lists of one cluster,
// fed by the manager's events that the extension host forwards.
import { JobList, ProgressBars, TaskStreamChart, TaskStreamModel, WorkerList } from '@drover/core/ui';
import type { HostMessage, TaskStreamState } from '../src/webview/messages';
import { HostChannel } from './host-channel';
import { WebviewApi } from './webview-api';

const channel = new HostChannel();
const api = new WebviewApi(channel);
const root = document.getElementById('drover')!;
const model = new TaskStreamModel();
const chart = new TaskStreamChart(model);
const progress = new ProgressBars();
const workers = new WorkerList();
const jobs = new JobList();
const title = document.createElement('h1');
const connection = document.createElement('p');
connection.className = 'drover-note';
const grid = document.createElement('div');
grid.className = 'drover-watch-grid';
grid.append(progress.element, workers.element, jobs.element);
root.append(title, connection, chart.element, grid);

let cluster: string | null = null;

function watch(name: string | null): void {
  cluster = name;
  title.textContent = name === null ? 'Task stream' : `Task stream — ${name}`; // text, never markup
  model.clear();
  progress.update([]);
  workers.update([]);
  jobs.reset(null);
  channel.setState({ cluster } satisfies TaskStreamState);
  channel.send({ type: 'subscribe', cluster: name });
  if (name !== null)
    api
      .request<Parameters<JobList['reset']>[0]>('GET', `api/clusters/${encodeURIComponent(name)}/jobs`)
      .then((list) => jobs.reset(list && list.length > 0 ? list : null))
      .catch(() => jobs.reset(null));
}

channel.onMessage((message: HostMessage) => {
  if (message.type === 'watch') return watch(message.cluster);
  if (message.type === 'connection') {
    connection.textContent = message.connected ? '' : 'Reconnecting to the Drover manager…';
    return;
  }
  if (message.type !== 'event') return;
  const event = message.event;
  switch (event.type) {
    case 'tasks':
      if (event.cluster !== cluster) return;
      model.add(event.batch);
      progress.setGroupOrder(model.groups);
      return;
    case 'metrics':
      if (event.cluster !== cluster) return;
      progress.update(event.groups);
      workers.update(event.workers);
      return;
    case 'job':
      if (event.cluster === cluster) jobs.update(event.job);
      return;
    case 'cluster-removed':
      if (event.name === cluster) connection.textContent = `${event.name} was shut down.`;
      return;
  }
});

// Frames drawn, for the benchmark and the UI test (the chart counts them itself).
setInterval(
  () => channel.send({ type: 'stats', frames: chart.stats.frames, rectsDrawn: chart.stats.rectsDrawn }),
  1000,
);
// The chart reads its colours from CSS variables once it is in the page, and again when VS Code
// switches theme (it changes the body's class).
chart.refreshTheme();
new MutationObserver(() => chart.refreshTheme()).observe(document.body, {
  attributes: true,
  attributeFilter: ['class'],
});
chart.start();
// For the UI test and the benchmark, as the dashboard page exposes its own.
(window as unknown as { droverTaskStream: unknown }).droverTaskStream = { chart, model };
watch(channel.getState<TaskStreamState>()?.cluster ?? null);
channel.send({ type: 'ready' });
