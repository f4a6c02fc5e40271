// The New Cluster webview: the shared form view with its live job-script preview. Every spec
// change goes to the host too, which follows it in the job-script document.
import { ClusterFormView, DashboardModel, mountView } from '@drover/core/ui';
import { HostChannel } from './host-channel';
import { PostMessagePort } from './post-message-port';

const channel = new HostChannel();
const root = document.getElementById('drover')!;
const model = new DashboardModel(new PostMessagePort(channel), { autoWatch: false });

async function main(): Promise<void> {
  await model.start();
  const form = model.form!;
  mountView(root, new ClusterFormView(model));
  channel.onMessage((message) => {
    if (message.type === 'load') form.load(message.spec);
  });
  form.changed.connect(() => channel.send({ type: 'specChanged', spec: form.read().spec }));
  channel.send({ type: 'ready' });
  channel.send({ type: 'specChanged', spec: form.read().spec });
}

main().catch((error: Error) => {
  root.textContent = `The form could not start: ${error.message}`;
});
