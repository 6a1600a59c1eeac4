import { asArray, asObject, goInt, goString, parseJson } from './go-json.js';

/** One queueing discipline with its counters, as the kernel's RTM_GETQDISC dump reports it. */
export interface QdiscInfo {
  ifaceName: string;
  /** 0 for a root qdisc (the kernel's TC_H_ROOT, 0xffffffff, is folded to 0). */
  parent: number;
  handle: number;
  kind: string;
  bytes: number;
  packets: number;
  drops: number;
  requeues: number;
  overlimits: number;
  qlen: number;
  backlog: number;
}

/**
 * Upstream's test-only qdisc fixture (`<dir>/results.json`): a JSON array of the records its
 * netlink library returns, keys named like the Go struct fields; absent fields are 0.
 */
export function parseQdiscFixture(text: string): QdiscInfo[] {
  return asArray(parseJson(text), 'qdisc results').map((item, i) => {
    const o = asObject(item, `qdisc result ${i}`);
    return {
      ifaceName: goString(o, 'IfaceName'),
      parent: goInt(o, 'Parent', true),
      handle: goInt(o, 'Handle', true),
      kind: goString(o, 'Kind'),
      bytes: goInt(o, 'Bytes', true),
      packets: goInt(o, 'Packets', true),
      drops: goInt(o, 'Drops', true),
      requeues: goInt(o, 'Requeues', true),
      overlimits: goInt(o, 'Overlimits', true),
      qlen: goInt(o, 'Qlen', true),
      backlog: goInt(o, 'Backlog', true),
    };
  });
}
