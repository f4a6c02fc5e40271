// The dashboard page served by `drover serve`, one host among three: it reads the token from its
// own URL, builds the HTTP port and the page's host hooks, and mounts the dashboard.
import { mountDashboard } from '../dashboard.js';
import { HttpManagerPort } from '../http-manager-port.js';
import { pageHost } from './page-host.js';

const token = new URLSearchParams(location.search).get('token') ?? '';
const root = document.getElementById('drover')!;
// The page is the dashboard: no margin around it, and at least the window's height.
document.body.style.margin = '0';
root.style.minHeight = '100vh';
root.style.display = 'flex';
const port = new HttpManagerPort({
  baseUrl: new URL('.', location.href).toString(),
  token,
  fetch: globalThis.fetch.bind(globalThis),
  WebSocket,
  host: pageHost(document),
});
mountDashboard(root, port, { themePicker: true })
  .then((dashboard) => {
    (window as unknown as { droverDashboard: unknown }).droverDashboard = dashboard;
  })
  .catch((error: Error) => {
    root.textContent = `The dashboard could not start: ${error.message}`;
  });
