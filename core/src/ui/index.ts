// Browser components of Drover, shared by the dashboard page, JupyterLab and VS Code. No Node here.
export { DroverApi, EventStream, type ApiOptions } from './api-client.js';
export { ApiRequestError } from './api-request-error.js';
export type * from './manager-port.js';
export {
  HttpManagerPort,
  type HttpManagerPortOptions,
  type SocketLike,
  type SocketConstructor,
} from './http-manager-port.js';
export { ClusterForm, type ClusterFormOptions } from './cluster-form.js';
export { ClusterCard, type ClusterCardOptions } from './cluster-card.js';
export { TaskStreamChart, type ChartStats } from './task-stream-chart.js';
export { TaskStreamModel } from './task-stream-model.js';
export { ProgressBars } from './progress-bars.js';
export { WorkerList } from './worker-list.js';
export { JobList } from './job-list.js';
export { Dashboard, mountDashboard } from './dashboard.js';
export { applyTheme, savedTheme, type Theme } from './theme.js';
export { readField, fieldText, type FieldReading } from './field-values.js';
export type * from '../manager/api-types.js';
