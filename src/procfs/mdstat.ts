import { ParseError } from './parse-error.js';

/**
 * /proc/mdstat: for each md array a device line ("md0 : active raid1 sdb1[1] sda1[0]"), a
 * status line ("1953511424 blocks super 1.2 [2/2] [UU]"), optionally a bitmap line, then a
 * sync line when a resync/recovery/check/reshape runs. The rules follow prometheus/procfs so the
 * numbers match node_exporter's.
 */
export interface MdStat {
  name: string;
  /** active, inactive, ... or, while a sync runs: recovering, resyncing, checking, reshaping. */
  activityState: string;
  disksActive: number;
  disksTotal: number;
  disksFailed: number;
  disksDown: number;
  disksSpare: number;
  blocksTotal: number;
  blocksSynced: number;
}

const STATUS_RE = /(\d+) blocks .*\[(\d+)\/(\d+)\] \[([U_]+)\]/;
const PERSONALITIES = 'Personalities : ';

function parseInt64(text: string | undefined, what: string, line: string, lineNumber: number): number {
  if (text === undefined || !/^[+-]?\d+$/.test(text) || BigInt(text) > 2n ** 63n - 1n || BigInt(text) < -(2n ** 63n)) {
    throw new ParseError(`invalid ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  }
  return Number(text);
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

interface Status {
  active: number;
  total: number;
  down: number;
  size: number;
}

function parseStatusLine(deviceLine: string, statusLine: string, lineNumber: number): Status {
  const size = parseInt64(statusLine.trim().split(/\s+/)[0], 'block count', statusLine, lineNumber);
  // raid0 and linear arrays print no [n/m] status: every bracketed component counts.
  if (deviceLine.includes('raid0') || deviceLine.includes('linear')) {
    const total = count(deviceLine, '[');
    return { active: total, total, down: 0, size };
  }
  if (deviceLine.includes('inactive')) return { active: 0, total: 0, down: 0, size };
  const m = STATUS_RE.exec(statusLine);
  if (m === null) throw new ParseError('status line has no "[total/active] [U_]" part', statusLine, lineNumber);
  return {
    total: parseInt64(m[2], 'total disk count', statusLine, lineNumber),
    active: parseInt64(m[3], 'active disk count', statusLine, lineNumber),
    down: count(m[4] ?? '', '_'),
    size,
  };
}

/** "[=>....]  recovery = 12.6% (37043392/292945152) finish=127.5min speed=33440K/sec": the blocks synced. */
function parseSyncLine(line: string, lineNumber: number): number {
  const blocks = /\((\d+)\/(\d+)\)/.exec(line);
  if (blocks === null) throw new ParseError('sync line has no "(synced/total)" block counts', line, lineNumber);
  const synced = parseInt64(blocks[1], 'synced block count', line, lineNumber);
  parseInt64(blocks[2], 'total block count', line, lineNumber);
  // procfs insists on the percentage, finish time and speed too: a line without them is corrupt.
  const checks: [RegExp, string][] = [
    [/= (.+)%/, 'percentage'],
    [/finish=(.+)min/, 'finish time'],
    [/speed=(.+)[A-Z]/, 'speed'],
  ];
  for (const [re, what] of checks) {
    const m = re.exec(line);
    const value = m?.[1]?.trim() ?? '';
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) throw new ParseError(`sync line has no valid ${what}`, line, lineNumber);
  }
  return synced;
}

export function parseMdstat(text: string): MdStat[] {
  const lines = text.split('\n');
  const out: MdStat[] = [];
  let personalitiesSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const lineNumber = i + 1;
    if (line.trim() === '' || line.startsWith(' ') || line.startsWith('unused')) continue;
    if (!personalitiesSeen && line.startsWith(PERSONALITIES)) {
      // procfs only takes the first line while it has found no personality in it.
      personalitiesSeen = line.slice(PERSONALITIES.length).trim() !== '';
      continue;
    }
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3) throw new ParseError(`md device line has ${fields.length} fields, want at least 3`, line, lineNumber);
    const name = fields[0] ?? '';
    let state = fields[2] ?? '';
    if (lines.length <= i + 3) throw new ParseError(`too few lines for md device ${name}`, line, lineNumber);

    const statusLine = lines[i + 1] ?? '';
    const status = parseStatusLine(line, statusLine, lineNumber + 1);
    let syncIndex = i + 2;
    if ((lines[syncIndex] ?? '').includes('bitmap')) syncIndex++;
    const syncLine = lines[syncIndex] ?? '';

    let blocksSynced = status.size;
    const recovering = syncLine.includes('recovery');
    const reshaping = syncLine.includes('reshape');
    const resyncing = syncLine.includes('resync');
    const checking = syncLine.includes('check');
    if (recovering || reshaping || resyncing || checking) {
      state = recovering ? 'recovering' : reshaping ? 'reshaping' : checking ? 'checking' : 'resyncing';
      // resync=PENDING / resync=DELAYED: nothing synced yet.
      if (syncLine.includes('PENDING') || syncLine.includes('DELAYED')) blocksSynced = 0;
      else blocksSynced = parseSyncLine(syncLine, syncIndex + 1);
    }

    out.push({
      name,
      activityState: state,
      disksActive: status.active,
      disksTotal: status.total,
      disksFailed: count(line, '(F)'),
      disksDown: status.down,
      disksSpare: count(line, '(S)'),
      blocksTotal: status.size,
      blocksSynced,
    });
  }
  return out;
}
