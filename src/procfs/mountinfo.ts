import { ParseError, parseUint } from './parse-error.js';

/** One line of /proc/<pid>/mountinfo (see proc(5), "/proc/pid/mountinfo"). */
export interface MountInfo {
  mountId: number;
  parentId: number;
  major: number;
  minor: number;
  /** The directory of the filesystem that appears at the mount point (a bind mount's source dir). */
  root: string;
  mountPoint: string;
  /** Per-mount options exactly as the file has them, e.g. "rw,nosuid,relatime". */
  mountOptions: string;
  /** Propagation tags such as "shared:1", "master:2", "propagate_from:3", "unbindable". */
  optionalFields: string[];
  fsType: string;
  /** The device or "none"; may be "" when the mount was made with an empty source. */
  source: string;
  /** Superblock options exactly as the file has them, e.g. "rw,addr=10.0.0.5". */
  superOptions: string;
}

/** Fields before the optional ones: id, parent, maj:min, root, mount point, options. */
const FIXED_FIELDS = 6;
/** Fields after the "-" separator: fs type, source, super options. */
const TAIL_FIELDS = 3;

/**
 * The kernel writes space, tab, newline and backslash in paths as a backslash and three octal
 * digits. Escapes stand for bytes, so a run of them may spell one multi-byte UTF-8 character.
 */
function decodeOctalEscapes(field: string): string {
  if (!field.includes('\\')) return field;
  const parts: Buffer[] = [];
  let last = 0;
  for (const match of field.matchAll(/\\([0-3][0-7]{2})/g)) {
    parts.push(Buffer.from(field.slice(last, match.index), 'utf8'), Buffer.of(parseInt(match[1] ?? '0', 8)));
    last = match.index + match[0].length;
  }
  parts.push(Buffer.from(field.slice(last), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}

function parseLine(line: string, lineNumber: number): MountInfo {
  // Split on single spaces, not runs: an empty source shows up as two spaces in a row, and
  // every real space inside a field is escaped, so a single space is always a separator.
  const fields = line.split(' ');
  if (fields.length < FIXED_FIELDS + 1 + TAIL_FIELDS) {
    throw new ParseError(`mountinfo line has ${fields.length} fields, want at least ${FIXED_FIELDS + 1 + TAIL_FIELDS}`, line, lineNumber);
  }
  // Optional fields are "tag[:value]" and never a bare "-", so the first one is the separator.
  const separator = fields.indexOf('-', FIXED_FIELDS);
  if (separator === -1) {
    throw new ParseError('mountinfo line has no "-" separator after the optional fields', line, lineNumber);
  }
  if (fields.length - separator - 1 !== TAIL_FIELDS) {
    throw new ParseError(`mountinfo line has ${fields.length - separator - 1} fields after "-", want ${TAIL_FIELDS}`, line, lineNumber);
  }
  const [id, parent, majMin, root, mountPoint, mountOptions] = fields;
  const [fsType, source, superOptions] = fields.slice(separator + 1);
  const devParts = (majMin ?? '').split(':');
  if (devParts.length !== 2) {
    throw new ParseError(`invalid major:minor ${JSON.stringify(majMin ?? '')}`, line, lineNumber);
  }
  return {
    mountId: parseUint(id, 'mount ID', line, lineNumber),
    parentId: parseUint(parent, 'parent ID', line, lineNumber),
    major: parseUint(devParts[0], 'major device number', line, lineNumber),
    minor: parseUint(devParts[1], 'minor device number', line, lineNumber),
    root: decodeOctalEscapes(root ?? ''),
    mountPoint: decodeOctalEscapes(mountPoint ?? ''),
    mountOptions: mountOptions ?? '',
    optionalFields: fields.slice(FIXED_FIELDS, separator),
    fsType: fsType ?? '',
    source: decodeOctalEscapes(source ?? ''),
    superOptions: superOptions ?? '',
  };
}

/** Parses a whole mountinfo file; blank lines are skipped, anything malformed throws. */
export function parseMountInfo(text: string): MountInfo[] {
  const mounts: MountInfo[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') mounts.push(parseLine(line, i + 1));
  });
  return mounts;
}

/** Whether a comma-separated option list has `name`, bare or as `name=value`. */
export function hasOption(options: string, name: string): boolean {
  return options.split(',').some((opt) => {
    const eq = opt.indexOf('=');
    return (eq === -1 ? opt : opt.slice(0, eq)) === name;
  });
}

/**
 * node_exporter's rule (its issue #3157): a remount can leave the mount "rw" over a read-only
 * superblock or the reverse, so either one saying "ro" counts; ext4 reports a filesystem it
 * forced read-only after an error as "emergency_ro" in the superblock options.
 */
export function isReadOnly(m: MountInfo): boolean {
  return hasOption(m.mountOptions, 'ro') || hasOption(m.superOptions, 'ro') || hasOption(m.superOptions, 'emergency_ro');
}

export type Propagation = 'shared' | 'slave' | 'private';

/**
 * A mount with both "shared:N" and "master:M" receives events and also passes them on; we call
 * it 'shared' because what callers ask is "will mounts made here show up elsewhere?".
 * "unbindable" is reported as 'private': it cannot propagate either way.
 */
export function propagationOf(m: MountInfo): Propagation {
  const tags = m.optionalFields.map((f) => f.split(':', 1)[0]);
  if (tags.includes('shared')) return 'shared';
  if (tags.includes('master')) return 'slave';
  return 'private';
}
