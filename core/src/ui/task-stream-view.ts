import type { DashboardModel } from './dashboard-model.js';
import { el, uniqueId } from './dom.js';
import { TaskStreamChart } from './task-stream-chart.js';
import type { View } from './view.js';

/** Options of {@link TaskStreamView}. */
export interface TaskStreamViewOptions {
  /** Seconds of history the live view spans (default 10). */
  windowSeconds?: number;
}

/**
 * The watched cluster's live task stream under a heading naming the cluster; it draws on every
 * animation frame while mounted and stops when disposed.
 */
export class TaskStreamView implements View {
  readonly element: HTMLElement;
  /** The id of the view's heading, for a host's `aria-labelledby`. */
  readonly titleId = uniqueId('drover-stream-title');
  readonly chart: TaskStreamChart;
  private readonly title = el('h2', { id: this.titleId, class: 'drover-stream-title' });
  private readonly disconnect: () => void;

  constructor(
    private readonly model: DashboardModel,
    options: TaskStreamViewOptions = {},
  ) {
    for (const key of Object.keys(options))
      if (key !== 'windowSeconds')
        throw new TypeError(`TaskStreamView: unknown option ${key}; it takes windowSeconds`);
    this.chart = new TaskStreamChart(model.stream, (options.windowSeconds ?? 10) * 1000);
    this.element = el('div', { class: 'drover-stream-view' }, this.title, this.chart.element);
    this.disconnect = model.changed.connect((change) => {
      if (change === 'watched') this.renderTitle();
    });
    this.renderTitle();
    this.chart.start();
  }

  dispose(): void {
    this.disconnect();
    this.chart.stop();
  }

  private renderTitle(): void {
    const name = this.model.watched;
    this.title.textContent = name === null ? 'Task stream' : `Task stream — ${name}`;
    this.element.dataset.cluster = name ?? '';
  }
}
