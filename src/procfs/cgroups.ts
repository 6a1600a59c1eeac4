import { ParseError } from './parse-error.js';

/** One controller line of /proc/cgroups (cgroups(7)). */
export interface CgroupController {
  /** The controller (subsystem) name, e.g. "memory". */
  subsysName: string;
  /** ID of the v1 hierarchy it is mounted on; 0 when on the v2 hierarchy or not mounted. */
  hierarchy: number;
  /** Control groups in that hierarchy using this controller. */
  cgroups: number;
  /** 1 when enabled, 0 when disabled (cgroup_disable= on the kernel command line). */
  enabled: number;
}

function parseInt64(text: string | undefined, what: string, line: string, lineNumber: number): number {
  if (text === undefined || !/^[+-]?\d+$/.test(text) || BigInt(text) > 2n ** 63n - 1n || BigInt(text) < -(2n ** 63n)) {
    throw new ParseError(`invalid ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  }
  return Number(text);
}

/**
 * Parses /proc/cgroups: a "#subsys_name hierarchy num_cgroups enabled" header, then one
 * whitespace-separated line per controller. Lines starting with "#" are comments; fields beyond
 * the fourth are ignored (a later kernel may add some). Any other line with fewer than four
 * fields, blank ones included, is an error, as it is for procfs.
 */
export function parseCgroups(text: string): CgroupController[] {
  const controllers: CgroupController[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const lineNumber = i + 1;
    if (line.startsWith('#')) return;
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    const [subsysName, hierarchy, cgroups, enabled] = fields;
    if (subsysName === undefined || fields.length < 4) {
      throw new ParseError(`cgroups line has ${fields.length} fields, want at least 4`, line, lineNumber);
    }
    controllers.push({
      subsysName,
      hierarchy: parseInt64(hierarchy, 'hierarchy ID', line, lineNumber),
      cgroups: parseInt64(cgroups, 'number of cgroups', line, lineNumber),
      enabled: parseInt64(enabled, 'enabled flag', line, lineNumber),
    });
  });
  return controllers;
}
