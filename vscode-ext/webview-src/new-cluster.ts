// The New Cluster webview: the shared form with its live job-script preview. Every spec change
// goes to the host too, which follows it in the job-script document.
import { ClusterForm, type ClusterSpec } from '@drover/core/ui';
import type { NewClusterState } from '../src/webview/messages';
import { HostChannel } from './host-channel';
import { WebviewApi } from './webview-api';

const channel = new HostChannel();
const api = new WebviewApi(channel);
const root = document.getElementById('drover')!;

async function main(): Promise<void> {
  const description = await api.spec();
  const form = new ClusterForm({
    api,
    description,
    onCreated: (cluster) => void channel.host('notify', `Cluster ${cluster.name} is starting.`, 'info'),
  });
  const heading = document.createElement('h1');
  heading.textContent = 'New Drover cluster';
  root.append(heading, form.element);
  const remembered = channel.getState<NewClusterState>()?.spec;
  channel.onMessage((message) => {
    if (message.type === 'load') loadSpec(form, message.spec);
  });
  if (remembered) loadSpec(form, remembered);
  const follow = (): void => {
    const { spec } = form.read();
    channel.setState({ spec } satisfies NewClusterState);
    channel.send({ type: 'specChanged', spec });
  };
  form.element.addEventListener('input', follow);
  form.element.addEventListener('change', follow);
  channel.send({ type: 'ready' });
  follow();
}

function loadSpec(form: ClusterForm, spec: ClusterSpec): void {
  form.load(spec);
  form.element.dispatchEvent(new Event('change'));
}

main().catch((error: Error) => {
  root.textContent = `The form could not start: ${error.message}`;
});
