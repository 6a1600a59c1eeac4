import { ParseError, parseFloatField } from './parse-error.js';

/** The run-queue averages from /proc/loadavg over 1, 5 and 15 minutes. */
export interface Loadavg {
  load1: number;
  load5: number;
  load15: number;
}

/**
 * /proc/loadavg is one line: three averages, "running/total" tasks and the last PID, e.g.
 * "0.42 0.37 0.31 2/1187 48213". Only the averages are ours to read; the rest may change.
 */
export function parseLoadavg(text: string): Loadavg {
  const line = text.split('\n', 1)[0] ?? '';
  const fields = line
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  if (fields.length < 3) {
    throw new ParseError(`loadavg has ${fields.length} fields, want at least 3`, line, 1);
  }
  return {
    load1: parseFloatField(fields[0], '1-minute load', line, 1),
    load5: parseFloatField(fields[1], '5-minute load', line, 1),
    load15: parseFloatField(fields[2], '15-minute load', line, 1),
  };
}
