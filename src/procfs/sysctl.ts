import { parseGoInt } from './go-number.js';
import { ParseError } from './parse-error.js';

/** "net.ipv4.tcp_rmem" → "net/ipv4/tcp_rmem", the file under /proc/sys that holds it. */
export function sysctlFile(name: string): string {
  return `sys/${name.replaceAll('.', '/')}`;
}

/**
 * The whitespace-separated values of a /proc/sys file ("1024\t0\t1631329\n" → three values;
 * "kill_process kill_thread" → two). An empty file has no values.
 */
export function parseSysctlValues(text: string): string[] {
  return text.split(/\s+/).filter((f) => f !== '');
}

/**
 * The values of a numeric sysctl. Each is read as Go's ParseInt with base 0 reads it (as
 * procfs does): decimal, 0x hex, leading-0 octal, within int64. Anything else is an error.
 */
export function parseSysctlInts(text: string): number[] {
  return parseSysctlValues(text).map((field, i) => {
    const value = parseGoInt(field);
    if (value === undefined) throw new ParseError(`sysctl field ${i} ${JSON.stringify(field)} is not a valid integer`);
    return value;
  });
}
