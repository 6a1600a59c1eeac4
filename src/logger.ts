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

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * What time.toISOString() prints, from the UTC fields alone (years 0 to 9999; others as
 * toISOString prints them). V8's toISOString also works out the local time zone and its name,
 * though it prints neither: ICU's time zone data, 0.4 MiB more of the node binary resident from
 * the first log line on than the time collector's offset alone needs.
 */
export function isoTime(time: Date): string {
  const year = time.getUTCFullYear();
  if (!(year >= 0 && year <= 9999)) return time.toISOString();
  const date = `${pad(year, 4)}-${pad(time.getUTCMonth() + 1, 2)}-${pad(time.getUTCDate(), 2)}`;
  return `${date}T${pad(time.getUTCHours(), 2)}:${pad(time.getUTCMinutes(), 2)}:${pad(time.getUTCSeconds(), 2)}.${pad(time.getUTCMilliseconds(), 3)}Z`;
}

export function formatLine(format: LogFormat, time: Date, level: LogLevel, msg: string, fields: LogFields): string {
  const all: LogFields = { time: isoTime(time), level, msg, ...fields };
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
