import { scaleLinear } from 'd3-scale';
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { barColor, readChartColors, type ChartColors } from './chart-colors.js';
import { el } from './dom.js';
import { formatDuration } from './format.js';
import type { TaskStreamModel } from './task-stream-model.js';

const LABEL_WIDTH = 150;
const AXIS_HEIGHT = 20;
const MAX_ROW = 22;

/** Counters of the chart, for a status line and for benchmarks. */
export interface ChartStats {
  frames: number;
  /** Filled rectangles drawn in the last frame (after merging what shares a pixel). */
  rectsDrawn: number;
  /** Bars (each one or more tasks) inside the view in the last frame. */
  barsVisible: number;
  lastDrawMs: number;
}

/**
 * The live task stream: one lane per worker slot, one colour per task group, time flowing to the
 * left. Drawn on a canvas (thousands of bars per frame), zoomed and panned with d3-zoom (wheel,
 * drag, or keys + − ← → 0 and space to pause), with a tooltip for the bar under the pointer.
 *
 * #### Notes
 * A frame walks the bars once and merges those that fall on the same pixels of a lane into one
 * rectangle, so the cost of a frame is bounded by lanes × width, not by the task rate.
 */
export class TaskStreamChart {
  readonly element: HTMLElement;
  readonly stats: ChartStats = { frames: 0, rectsDrawn: 0, barsVisible: 0, lastDrawMs: 0 };
  private readonly canvas = el('canvas', {
    class: 'drover-stream-canvas',
    tabindex: 0,
    role: 'img',
    'aria-label': 'Task stream: one lane per worker slot; + and − zoom, arrows pan, 0 resets, space pauses',
  });
  private readonly tooltip = el('div', { class: 'drover-tooltip', role: 'tooltip', hidden: true });
  private readonly pauseButton = el('button', { type: 'button', 'aria-pressed': 'false' }, 'Pause');
  private readonly summary = el('span', { class: 'drover-stream-summary', 'aria-live': 'off' });
  private readonly zoomBehavior: ZoomBehavior<HTMLCanvasElement, unknown>;
  private readonly selection: Selection<HTMLCanvasElement, unknown, null, undefined>;
  private transform: ZoomTransform = zoomIdentity;
  private colors: ChartColors;
  private frame = 0;
  private pausedAt: number | null = null;
  private pointer: { x: number; y: number } | null = null;

  constructor(
    private readonly model: TaskStreamModel,
    private readonly windowMs = 10_000,
  ) {
    const reset = el('button', { type: 'button', onclick: () => this.resetZoom() }, 'Reset zoom');
    this.pauseButton.addEventListener('click', () => this.togglePause());
    this.element = el(
      'div',
      { class: 'drover-stream' },
      el('div', { class: 'drover-stream-toolbar' }, this.pauseButton, reset, this.summary),
      el('div', { class: 'drover-stream-canvas-box' }, this.canvas, this.tooltip),
    );
    this.colors = readChartColors(this.element);
    this.zoomBehavior = zoom<HTMLCanvasElement, unknown>()
      .scaleExtent([0.05, 5000])
      .on('zoom', (event: { transform: ZoomTransform }) => (this.transform = event.transform));
    this.selection = select(this.canvas);
    this.selection.call(this.zoomBehavior);
    this.canvas.addEventListener('keydown', (e) => this.key(e));
    this.canvas.addEventListener('mousemove', (e) => (this.pointer = { x: e.offsetX, y: e.offsetY }));
    this.canvas.addEventListener('mouseleave', () => {
      this.pointer = null;
      this.tooltip.hidden = true;
    });
  }

  /** Starts drawing on every animation frame. */
  start(): void {
    if (this.frame === 0) this.frame = requestAnimationFrame(() => this.tick());
  }

  stop(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** Reads the colours again (after a theme change). */
  refreshTheme(): void {
    this.colors = readChartColors(this.element);
  }

  private tick(): void {
    this.frame = requestAnimationFrame(() => this.tick());
    // Hosts switch themes by changing their CSS variables; follow them about once a second.
    if (this.stats.frames % 60 === 0) this.refreshTheme();
    const started = performance.now();
    this.draw();
    this.stats.frames++;
    this.stats.lastDrawMs = performance.now() - started;
  }

  private now(): number {
    return this.pausedAt ?? Date.now() + this.model.clockOffset;
  }

  private draw(): void {
    const ratio = this.canvas.ownerDocument.defaultView?.devicePixelRatio || 1;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    if (width === 0 || height === 0) return;
    if (
      this.canvas.width !== Math.round(width * ratio) ||
      this.canvas.height !== Math.round(height * ratio)
    ) {
      this.canvas.width = Math.round(width * ratio);
      this.canvas.height = Math.round(height * ratio);
    }
    const ctx = this.canvas.getContext('2d', { alpha: false })!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const c = this.colors;
    ctx.fillStyle = c.background;
    ctx.fillRect(0, 0, width, height);
    const now = this.now();
    const base = scaleLinear()
      .domain([now - this.windowMs, now])
      .range([LABEL_WIDTH, width]);
    const x = this.transform.rescaleX(base);
    const [t0, t1] = x.domain() as [number, number];
    const m = this.model;
    const rows = m.lanes.length;
    const rowHeight = rows === 0 ? MAX_ROW : Math.min(MAX_ROW, (height - AXIS_HEIGHT) / rows);
    this.drawAxis(ctx, x, width, height, rowHeight, rows);
    // One pending rectangle per row: a bar touching it in the same colour extends it.
    const pendingStart = new Float64Array(rows).fill(-1);
    const pendingEnd = new Float64Array(rows);
    const pendingColor: string[] = new Array<string>(rows).fill('');
    let rects = 0;
    let visible = 0;
    let current = '';
    const flush = (row: number): void => {
      if (pendingStart[row]! < 0) return;
      if (current !== pendingColor[row]) ctx.fillStyle = current = pendingColor[row]!;
      ctx.fillRect(
        pendingStart[row]!,
        row * rowHeight + 1,
        pendingEnd[row]! - pendingStart[row]!,
        Math.max(1, rowHeight - 2),
      );
      pendingStart[row] = -1;
      rects++;
    };
    const scale = (x.range()[1]! - x.range()[0]!) / (t1 - t0);
    for (let n = m.first; n < m.written; n++) {
      const i = n % m.capacity;
      const s = m.start[i]!;
      const e = s + m.duration[i]!;
      if (e < t0 || s > t1) continue;
      visible++;
      const row = m.rowOfLane[m.lane[i]!] ?? 0;
      const px0 = Math.max(LABEL_WIDTH, LABEL_WIDTH + (s - t0) * scale);
      const px1 = Math.max(px0 + 1, LABEL_WIDTH + (e - t0) * scale);
      const color = barColor(c, m.group[i]!, m.outcome[i]!);
      if (
        pendingStart[row]! >= 0 &&
        pendingColor[row] === color &&
        px0 <= pendingEnd[row]! + 0.5 &&
        px1 >= pendingStart[row]!
      ) {
        pendingEnd[row] = Math.max(pendingEnd[row]!, px1);
        pendingStart[row] = Math.min(pendingStart[row]!, px0);
        continue;
      }
      flush(row);
      pendingStart[row] = px0;
      pendingEnd[row] = px1;
      pendingColor[row] = color;
    }
    for (let row = 0; row < rows; row++) flush(row);
    this.stats.rectsDrawn = rects;
    this.stats.barsVisible = visible;
    // DOM writes only on change: an idle frame then costs no style or layout work.
    if (this.canvas.dataset.rectsDrawn !== String(rects)) this.canvas.dataset.rectsDrawn = String(rects);
    const summary = `${m.lanes.length} lanes · ${m.tasksReceived.toLocaleString()} tasks received`;
    if (this.summary.textContent !== summary) this.summary.textContent = summary;
    if (this.pointer) this.showTooltip(x, rowHeight);
  }

  private drawAxis(
    ctx: CanvasRenderingContext2D,
    x: ReturnType<typeof scaleLinear<number, number>>,
    width: number,
    height: number,
    rowHeight: number,
    rows: number,
  ): void {
    const c = this.colors;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = c.text;
    const lanes = this.model.lanes;
    for (let lane = 0; lane < lanes.length; lane++) {
      const row = this.model.rowOfLane[lane] ?? lane;
      if (rowHeight >= 9)
        ctx.fillText(truncate(lanes[lane]!, 24), 4, row * rowHeight + rowHeight / 2, LABEL_WIDTH - 8);
    }
    ctx.fillStyle = c.grid;
    ctx.fillRect(LABEL_WIDTH - 1, 0, 1, rows * rowHeight);
    const now = this.now();
    ctx.textBaseline = 'top';
    for (const tick of x.ticks(Math.max(2, Math.floor((width - LABEL_WIDTH) / 90)))) {
      const px = x(tick);
      if (px < LABEL_WIDTH) continue;
      ctx.fillStyle = c.grid;
      ctx.fillRect(px, 0, 1, height - AXIS_HEIGHT);
      ctx.fillStyle = c.text;
      const ago = (tick - now) / 1000;
      ctx.fillText(`${ago.toFixed(Math.abs(ago) < 1 ? 2 : 1)} s`, px + 2, height - AXIS_HEIGHT + 4);
    }
  }

  /** The bar under the pointer, if any, as text in the tooltip. */
  private showTooltip(x: ReturnType<typeof scaleLinear<number, number>>, rowHeight: number): void {
    const { x: px, y: py } = this.pointer!;
    const m = this.model;
    const row = Math.floor(py / rowHeight);
    const slack = (x.invert(px + 3) - x.invert(px)) as number;
    const t = x.invert(px) as number;
    let found = -1;
    for (let n = m.written - 1; n >= m.first; n--) {
      const i = n % m.capacity;
      if ((m.rowOfLane[m.lane[i]!] ?? -1) !== row) continue;
      if (m.start[i]! - slack <= t && t <= m.start[i]! + m.duration[i]! + slack) {
        found = i;
        break;
      }
    }
    if (found < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const count = m.count[found]!;
    const outcome = ['finished', 'erred', 'lost', 'cancelled'][m.outcome[found]!] ?? '';
    this.tooltip.replaceChildren(
      line(count > 1 ? `${count} tasks from ${m.keys[found]}` : m.keys[found]!),
      line(`group: ${m.groups[m.group[found]!] ?? ''}`),
      line(`lane: ${m.lanes[m.lane[found]!] ?? ''}`),
      line(`${outcome}, ${formatDuration(m.duration[found]!)}`),
    );
    this.tooltip.style.left = `${Math.min(px + 12, this.canvas.clientWidth - 220)}px`;
    this.tooltip.style.top = `${py + 12}px`;
    this.tooltip.hidden = false;
  }

  private key(event: KeyboardEvent): void {
    const centre: [number, number] = [
      (LABEL_WIDTH + this.canvas.clientWidth) / 2,
      this.canvas.clientHeight / 2,
    ];
    const actions: Record<string, () => void> = {
      '+': () => this.zoomBehavior.scaleBy(this.selection, 1.5, centre),
      '=': () => this.zoomBehavior.scaleBy(this.selection, 1.5, centre),
      '-': () => this.zoomBehavior.scaleBy(this.selection, 1 / 1.5, centre),
      ArrowLeft: () => this.zoomBehavior.translateBy(this.selection, 60, 0),
      ArrowRight: () => this.zoomBehavior.translateBy(this.selection, -60, 0),
      '0': () => this.resetZoom(),
      ' ': () => this.togglePause(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  private resetZoom(): void {
    this.zoomBehavior.transform(this.selection, zoomIdentity);
  }

  private togglePause(): void {
    this.pausedAt = this.pausedAt === null ? Date.now() + this.model.clockOffset : null;
    this.pauseButton.setAttribute('aria-pressed', String(this.pausedAt !== null));
    this.pauseButton.textContent = this.pausedAt === null ? 'Pause' : 'Resume';
  }
}

function line(text: string): HTMLElement {
  return el('div', {}, text);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(-(max - 1))}`;
}
