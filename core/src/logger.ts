/**
 * The one logger of the library: levels, a component name, lines to stderr and to any sinks a host
 * added (an editor's output panel, a test's array).
 *
 * #### Notes
 * The stderr level comes from `DROVER_LOG_LEVEL` (`error`, `warn`, `info`, `debug`; default `warn`)
 * so that library code is quiet inside notebooks unless asked. Each sink has its own level.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

let threshold: number = ORDER[(process.env.DROVER_LOG_LEVEL as LogLevel) ?? 'warn'] ?? ORDER.warn;

/** Changes the level for every logger of this process. */
export function setLogLevel(level: LogLevel): void {
  threshold = ORDER[level];
}

/** One log line as a sink receives it. */
export interface LogRecord {
  time: Date;
  level: LogLevel;
  /** The part of Drover that wrote it, e.g. `manager`, `local-cluster`. */
  component: string;
  message: string;
  /** An error or value that came with the message. */
  detail?: unknown;
  /** The line as written to stderr, without its newline. */
  text: string;
}

/** Receives log records; must not throw. */
export type LogSink = (record: LogRecord) => void;

const sinks = new Map<LogSink, number>();

/**
 * Sends every record at `level` or more severe (default `info`) to `sink` as well as to stderr.
 * Returns a function that removes the sink.
 */
export function addLogSink(sink: LogSink, level: LogLevel = 'info'): () => void {
  sinks.set(sink, ORDER[level]);
  return () => void sinks.delete(sink);
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
    const toStderr = ORDER[level] <= threshold;
    const listening = [...sinks].filter(([, max]) => ORDER[level] <= max);
    if (!toStderr && listening.length === 0) return;
    const time = new Date();
    const extra = detail === undefined ? '' : ' ' + formatDetail(detail);
    const text = `${time.toISOString()} ${level.toUpperCase()} ${component}: ${message}${extra}`;
    if (toStderr) process.stderr.write(`${text}\n`);
    for (const [sink] of listening) {
      try {
        sink({ time, level, component, message, ...(detail === undefined ? {} : { detail }), text });
      } catch {
        // A sink that fails must not take the caller down with it.
      }
    }
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
