// Browser components of Drover, shared by the dashboard page, JupyterLab and VS Code. No Node here.
// The port and its host hooks
export type * from './manager-port.js';
export { ApiRequestError } from './api-request-error.js';
export {
  HttpManagerPort,
  type HttpManagerPortOptions,
  type SocketLike,
  type SocketConstructor,
} from './http-manager-port.js';
export { pageHost, type PageHostOptions } from './dashboard/page-host.js';
// Models
export { DashboardModel, type DashboardChange, type DashboardModelOptions } from './dashboard-model.js';
export { ClusterFormModel, type FormChange, type AdaptText, type DryRunState } from './cluster-form-model.js';
export { TaskStreamModel } from './task-stream-model.js';
export { Signal } from './signal.js';
// Views, each mountable on its own
export { mountView, type View } from './view.js';
export { ClusterListView } from './cluster-list-view.js';
export { ClusterCard } from './cluster-card.js';
export { ClusterFormView } from './cluster-form-view.js';
export { TaskStreamView, type TaskStreamViewOptions } from './task-stream-view.js';
export { TaskStreamChart, type ChartStats } from './task-stream-chart.js';
export { WorkersView } from './workers-view.js';
export { JobsView } from './jobs-view.js';
export { ProgressView } from './progress-view.js';
export { Dashboard, mountDashboard, type DashboardOptions } from './dashboard.js';
// Helpers
export { applyTheme, isTheme, THEMES, type Theme } from './theme.js';
export { readField, fieldText, type FieldReading } from './field-values.js';
export type * from '../manager/api-types.js';
