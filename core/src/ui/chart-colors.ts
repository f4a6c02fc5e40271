/** Colours the canvas needs, read from CSS variables so themes (and host apps) can change them. */
export interface ChartColors {
  groups: string[];
  erred: string;
  lost: string;
  background: string;
  text: string;
  grid: string;
}

/** Reads `--drover-group-0…9`, `--drover-erred`, … from an element's computed style. */
export function readChartColors(element: Element): ChartColors {
  const style = getComputedStyle(element);
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const fallbacks = [
    '#4e79a7',
    '#f28e2b',
    '#59a14f',
    '#b07aa1',
    '#76b7b2',
    '#edc948',
    '#ff9da7',
    '#9c755f',
    '#bab0ac',
    '#e15759',
  ];
  return {
    groups: fallbacks.map((f, i) => v(`--drover-group-${i}`, f)),
    erred: v('--drover-erred', '#d62728'),
    lost: v('--drover-lost', '#7f7f7f'),
    background: v('--drover-chart-bg', '#ffffff'),
    text: v('--drover-chart-text', '#333333'),
    grid: v('--drover-chart-grid', '#e5e5e5'),
  };
}

/** Colour of a bar: its group's, unless the task erred or was lost. */
export function barColor(colors: ChartColors, group: number, outcome: number): string {
  if (outcome === 1) return colors.erred;
  if (outcome >= 2) return colors.lost;
  return colors.groups[group % colors.groups.length]!;
}
