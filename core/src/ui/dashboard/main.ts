// The dashboard page served by `drover serve`: reads the token from its own URL and mounts.
import { DroverApi } from '../api-client.js';
import { mountDashboard } from '../dashboard.js';

const token = new URLSearchParams(location.search).get('token') ?? '';
const root = document.getElementById('drover')!;
const api = new DroverApi({ baseUrl: new URL('.', location.href).toString(), token });
mountDashboard(root, api)
  .then((dashboard) => {
    (window as unknown as { droverDashboard: unknown }).droverDashboard = dashboard;
  })
  .catch((error: Error) => {
    root.textContent = `The dashboard could not start: ${error.message}`;
  });
