/**
 * The one logger of the library: levels, a component name, lines to stderr.
 *
 * #### Notes
 * The level comes from `DROVER_LOG_LEVEL` (`error`, `warn`, `info`, `debug`; default `warn`) so that
 * library code is quiet inside notebooks unless asked.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

let threshold: number = ORDER[(process.env.DROVER_LOG_LEVEL as LogLevel) ?? 'warn'] ?? ORDER.warn;

/** Changes the level for every logger of this process. */
export function setLogLevel(level: LogLevel): void {
  threshold = ORDER[level];
}

export interface Logger {
  error(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  debug(message: string, detail?: unknown): void;
}

/** A logger whose lines start with the time, the level and `component`. */
export function createLogger(component: string): Logger {
  const write = (level: LogLevel, message: string, detail?: unknown): void => {
    if (ORDER[level] > threshold) return;
    const extra = detail === undefined ? '' : ' ' + formatDetail(detail);
    process.stderr.write(
      `${new Date().toISOString()} ${level.toUpperCase()} ${component}: ${message}${extra}\n`,
    );
  };
  return {
    error: (m, d) => write('error', m, d),
    warn: (m, d) => write('warn', m, d),
    info: (m, d) => write('info', m, d),
    debug: (m, d) => write('debug', m, d),
  };
}

function formatDetail(detail: unknown): string {
  if (detail instanceof Error) return detail.stack ?? detail.message;
  try {
    return JSON.stringify(detail);
  } catch {
    return String(detail);
  }
}
