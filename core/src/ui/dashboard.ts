import { ClusterFormView } from './cluster-form-view.js';
import { ClusterListView } from './cluster-list-view.js';
import { DashboardModel } from './dashboard-model.js';
import { el, uniqueId } from './dom.js';
import { JobsView } from './jobs-view.js';
import type { ManagerPort } from './manager-port.js';
import { ProgressView } from './progress-view.js';
import { TaskStreamView } from './task-stream-view.js';
import { applyTheme, isTheme, THEMES, type Theme } from './theme.js';
import type { View } from './view.js';
import { WorkersView } from './workers-view.js';

/** Options of {@link Dashboard}. */
export interface DashboardOptions {
  /**
   * Show a theme picker (light, dark, high contrast, auto), its choice kept in the host's UI state.
   * For the standalone page; JupyterLab and VS Code theme Drover through their own variables.
   */
  themePicker?: boolean;
  /** A model to show; default a new one on the port (its own event subscription). */
  model?: DashboardModel;
}

const OPTION_NAMES = ['themePicker', 'model'];
const THEME_KEY = 'theme';

/**
 * The whole dashboard: the new-cluster form, the cluster cards, and for the watched cluster the
 * task stream, progress per group, workers and jobs; the composition of the individual views for
 * a host that shows them together (the standalone page).
 *
 * #### Notes
 * Its element is a `.drover-root` sized by its container, so any number of dashboards can share a
 * page; ids are unique per mount.
 */
export class Dashboard implements View {
  readonly element: HTMLElement;
  readonly model: DashboardModel;
  readonly form: ClusterFormView;
  readonly clusters: ClusterListView;
  readonly stream: TaskStreamView;
  readonly progress: ProgressView;
  readonly workers: WorkersView;
  readonly jobs: JobsView;
  private readonly connection = el(
    'span',
    { class: 'drover-connection', 'data-connected': 'false', role: 'status' },
    'connecting…',
  );
  private readonly message = el('p', { class: 'drover-message', role: 'status', 'aria-live': 'polite' });
  private readonly disconnect: () => void;
  private readonly ownsModel: boolean;

  constructor(port: ManagerPort, options: DashboardOptions = {}) {
    for (const key of Object.keys(options))
      if (!OPTION_NAMES.includes(key))
        throw new TypeError(`Dashboard: unknown option ${key}; it takes ${OPTION_NAMES.join(', ')}`);
    const model = (this.model = options.model ?? new DashboardModel(port));
    this.form = new ClusterFormView(model);
    this.clusters = new ClusterListView(model);
    this.stream = new TaskStreamView(model);
    this.progress = new ProgressView(model);
    this.workers = new WorkersView(model);
    this.jobs = new JobsView(model);
    this.ownsModel = options.model === undefined;
    const clustersTitle = uniqueId('drover-clusters-title');
    const picker = options.themePicker ? this.themePicker(port) : null;
    this.element = el(
      'div',
      { class: 'drover-root drover-dashboard' },
      el('header', { class: 'drover-topbar' }, el('h1', {}, 'Drover'), this.connection, picker),
      this.message,
      el(
        'div',
        { class: 'drover-layout' },
        el(
          'section',
          { class: 'drover-panel drover-new', 'aria-labelledby': this.form.titleId },
          this.form.element,
        ),
        el(
          'section',
          { class: 'drover-panel drover-clusters', 'aria-labelledby': clustersTitle },
          el('h2', { id: clustersTitle }, 'Clusters'),
          this.clusters.element,
        ),
        el(
          'section',
          { class: 'drover-panel drover-watch', 'aria-labelledby': this.stream.titleId },
          this.stream.element,
          el(
            'div',
            { class: 'drover-watch-grid' },
            this.progress.element,
            this.workers.element,
            this.jobs.element,
          ),
        ),
      ),
    );
    if (picker) applyTheme(this.element, picker.value as Theme);
    this.disconnect = model.changed.connect((change) => {
      if (change === 'connection') this.renderConnection();
      else if (change === 'message') this.message.textContent = model.message;
    });
  }

  /** The task-stream chart (its counters are what benchmarks read). */
  get chart(): TaskStreamView['chart'] {
    return this.stream.chart;
  }

  dispose(): void {
    this.disconnect();
    for (const view of [this.form, this.clusters, this.stream, this.progress, this.workers, this.jobs])
      view.dispose();
    if (this.ownsModel) this.model.dispose();
  }

  private renderConnection(): void {
    const connected = this.model.connected;
    this.connection.textContent = connected ? 'connected' : 'reconnecting…';
    this.connection.dataset.connected = String(connected);
  }

  private themePicker(port: ManagerPort): HTMLSelectElement {
    const picker = el(
      'select',
      { 'aria-label': 'Theme' },
      ...THEMES.map((t) => el('option', { value: t.theme }, t.label)),
    );
    const saved = port.host.uiState.get<string>(THEME_KEY);
    const theme: Theme = isTheme(saved) ? saved : 'auto';
    picker.value = theme;
    picker.addEventListener('change', () => {
      const chosen = picker.value as Theme;
      applyTheme(this.element, chosen);
      port.host.uiState.set(THEME_KEY, chosen);
      this.stream.chart.refreshTheme();
    });
    return picker;
  }
}

/**
 * Creates a dashboard in `container`, loads what it shows and opens its event stream.
 *
 * #### Notes
 * The container keeps its other children; the dashboard fills its width and grows with its content.
 */
export async function mountDashboard(
  container: HTMLElement,
  port: ManagerPort,
  options: DashboardOptions = {},
): Promise<Dashboard> {
  const dashboard = new Dashboard(port, options);
  container.append(dashboard.element);
  await dashboard.model.start();
  return dashboard;
}
