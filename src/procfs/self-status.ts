/**
 * A process's limits file (/proc/<pid>/limits): "Max open files  1024  4096  files" → the soft
 * limit; "unlimited" → +Inf; undefined when the limit is not listed.
 */
export function parseSoftLimit(limits: string, name: string): number | undefined {
  const line = limits.split('\n').find((l) => l.startsWith(name));
  const soft = line?.slice(name.length).trim().split(/\s+/)[0];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Infinity : Number(soft);
}

/** A "Field:   123 kB" line of /proc/<pid>/status, in bytes; undefined when absent. */
export function parseStatusKiB(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return m === null ? undefined : Number(m[1]) * 1024;
}
