import { ParseError, parseUint } from './parse-error.js';

/** The fields of /proc/<pid>/stat (and task/<tid>/stat) the processes collector uses. */
export interface PidStat {
  comm: string;
  /** One letter: R, S, D, Z, T, t, X, I, ... */
  state: string;
  numThreads: number;
}

/**
 * "1 (systemd) S 0 1 ...". comm may hold spaces and parentheses, so it runs from the first "("
 * to the LAST ")"; the fields are counted from there (state is field 3, num_threads field 20).
 */
export function parsePidStat(text: string): PidStat {
  const line = text.trimEnd();
  const open = line.indexOf('(');
  const close = line.lastIndexOf(')');
  if (open < 0 || close < open) throw new ParseError('stat has no "(comm)"', line, 1);
  const rest = line
    .slice(close + 1)
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  // rest[0] is state (field 3); num_threads is field 20, i.e. rest[17].
  if (rest.length < 18) throw new ParseError(`stat has ${rest.length + 2} fields, want at least 20`, line, 1);
  const state = rest[0] ?? '';
  if (!/^[A-Za-z]$/.test(state)) throw new ParseError(`invalid process state ${JSON.stringify(state)}`, line, 1);
  return { comm: line.slice(open + 1, close), state, numThreads: parseUint(rest[17], 'num_threads', line, 1) };
}
