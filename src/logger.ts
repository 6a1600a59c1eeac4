export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'logfmt' | 'json';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const LOG_FORMATS: readonly LogFormat[] = ['logfmt', 'json'];

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line (e.g. collector=filesystem). */
  with(fields: LogFields): Logger;
  /** Whether debug lines are written: lets a hot path skip building their fields. */
  readonly debugEnabled: boolean;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function fieldValue(v: unknown): string {
  if (v instanceof Error) return v.message;
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function logfmtValue(s: string): string {
  return s === '' || /[\s"=\\]/.test(s) || /[^\x20-\x7e]/.test(s) ? JSON.stringify(s) : s;
}

export function formatLine(format: LogFormat, time: Date, level: LogLevel, msg: string, fields: LogFields): string {
  const all: LogFields = { time: time.toISOString(), level, msg, ...fields };
  if (format === 'json') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(all)) out[k] = v instanceof Error ? v.message : v;
    return JSON.stringify(out);
  }
  return Object.entries(all)
    .map(([k, v]) => `${k}=${logfmtValue(fieldValue(v))}`)
    .join(' ');
}

export function createLogger(
  level: LogLevel = 'info',
  format: LogFormat = 'logfmt',
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  base: LogFields = {},
): Logger {
  const min = RANK[level];
  const emit = (l: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[l] < min) return;
    write(formatLine(format, new Date(), l, msg, { ...base, ...fields }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    with: (fields) => createLogger(level, format, write, { ...base, ...fields }),
    debugEnabled: min <= RANK.debug,
  };
}

/** Discards everything; for tests and library use. */
export const silentLogger: Logger = createLogger('error', 'logfmt', () => {});
