import { ParseError } from '../procfs/parse-error.js';

/** Attributes of /sys/fs/btrfs/<uuid>, read as prometheus/procfs reads them. */

export interface BtrfsCommitStats {
  commits: number;
  lastCommitMs: number;
  maxCommitMs: number;
  totalCommitMs: number;
}

/**
 * commit_stats (Linux 6.0+): "<name> <value>" per line. Every line must have exactly two
 * fields and an unsigned value; names we do not know are skipped.
 */
export function parseBtrfsCommitStats(text: string): BtrfsCommitStats {
  const out: BtrfsCommitStats = { commits: 0, lastCommitMs: 0, maxCommitMs: 0, totalCommitMs: 0 };
  const keys: Readonly<Record<string, keyof BtrfsCommitStats>> = {
    commits: 'commits',
    last_commit_ms: 'lastCommitMs',
    max_commit_ms: 'maxCommitMs',
    total_commit_ms: 'totalCommitMs',
  };
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const fields = line
      .trim()
      .split(/\s+/)
      .filter((f) => f !== '');
    if (fields.length !== 2) throw new ParseError(`commit_stats line has ${fields.length} fields, want 2`, line, i + 1);
    const [name = '', value = ''] = fields;
    if (!/^\d+$/.test(value) || BigInt(value) >= 2n ** 64n) throw new ParseError(`invalid value of ${name} ${JSON.stringify(value)}`, line, i + 1);
    const key = keys[name];
    if (key !== undefined) out[key] = Number(value);
  });
  return out;
}

/**
 * A numeric attribute as procfs's readValue takes it: trimmed text as an unsigned integer, and
 * anything unparsable (or an absent file, '') silently 0.
 */
export function parseBtrfsValue(text: string): number {
  const t = text.trim();
  return /^\d+$/.test(t) && BigInt(t) < 2n ** 64n ? Number(t) : 0;
}

/**
 * How many bytes of raw space one byte of data takes in a block group profile; `devices` is the
 * filesystem's device count (the parity profiles depend on it). Unknown profiles are 0.
 */
export function btrfsAllocationRatio(profile: string, devices: number): number {
  switch (profile) {
    case 'single':
    case 'raid0':
      return 1;
    case 'dup':
    case 'raid1':
    case 'raid10':
      return 2;
    case 'raid1c3':
      return 3;
    case 'raid1c4':
      return 4;
    case 'raid5':
      return devices / (devices - 1);
    case 'raid6':
      return devices / (devices - 2);
    default:
      return 0;
  }
}
