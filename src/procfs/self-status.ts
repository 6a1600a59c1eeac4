/**
 * A process's limits file (/proc/<pid>/limits): "Max open files  1024  4096  files" → the soft
 * limit; "unlimited" → +Inf; undefined when the limit is not listed.
 */
export function parseSoftLimit(limits: string, name: string): number | undefined {
  const line = lineStartingWith(limits, name);
  const soft = line?.slice(name.length).trim().split(/\s+/)[0];
  if (soft === undefined) return undefined;
  return soft === 'unlimited' ? Infinity : Number(soft);
}

/** The first line of `text` that starts with `prefix`, found without splitting the whole text. */
function lineStartingWith(text: string, prefix: string): string | undefined {
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    const stop = end < 0 ? text.length : end;
    if (text.startsWith(prefix, at)) return text.slice(at, stop);
    at = stop + 1;
  }
  return undefined;
}

const KIB_LINE = /^:\s+(\d+) kB$/;

/** A "Field:   123 kB" line of /proc/<pid>/status, in bytes; undefined when absent. */
export function parseStatusKiB(status: string, field: string): number | undefined {
  const line = lineStartingWith(status, `${field}:`);
  const m = line === undefined ? null : KIB_LINE.exec(line.slice(field.length));
  return m === null ? undefined : Number(m[1]) * 1024;
}
