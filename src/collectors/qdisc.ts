import path from 'node:path';
import { ConfigError, newDesc, type CollectorDefinition, type Desc, type OptionValues } from '../collector.js';
import { compileRegexp } from '../config.js';
import { DeviceFilter } from '../device-filter.js';
import type { Logger } from '../logger.js';
import { parseQdiscFixture, type QdiscInfo } from '../netlink/qdisc.js';
import { dumpQdiscs } from '../netlink/route.js';
import { readAndParse } from '../read/files.js';

const Q = 'collector.qdisc';

const QDISC_LABELS = ['device', 'kind'];
const FIELDS: readonly [Desc, (q: QdiscInfo) => number][] = [
  [newDesc('node_qdisc_bytes_total', 'Bytes the qdisc has sent.', 'counter', QDISC_LABELS), (q) => q.bytes],
  [newDesc('node_qdisc_packets_total', 'Packets the qdisc has sent.', 'counter', QDISC_LABELS), (q) => q.packets],
  [newDesc('node_qdisc_drops_total', 'Packets the qdisc has dropped.', 'counter', QDISC_LABELS), (q) => q.drops],
  [newDesc('node_qdisc_requeues_total', 'Packets dequeued but not sent, then queued again.', 'counter', QDISC_LABELS), (q) => q.requeues],
  [newDesc('node_qdisc_overlimits_total', 'Times the qdisc went over its limit.', 'counter', QDISC_LABELS), (q) => q.overlimits],
  [newDesc('node_qdisc_current_queue_length', 'Packets waiting in the queue now.', 'gauge', QDISC_LABELS), (q) => q.qlen],
  [newDesc('node_qdisc_backlog', 'Bytes waiting in the queue now.', 'gauge', QDISC_LABELS), (q) => q.backlog],
];
// Upstream's first spelling, still accepted (hidden) with a warning.
const OLD = 'collector.qdisk';

/** The new flag's value, or the deprecated one's when only that was given. */
function pattern(options: OptionValues, logger: Logger, which: 'include' | 'exclude'): RegExp | undefined {
  const text = (flag: string) => {
    const v = options.get(flag);
    return typeof v === 'string' ? v : '';
  };
  let value = text(`${Q}.device-${which}`);
  const old = text(`${OLD}.device-${which}`);
  if (old !== '') {
    if (value !== '') throw new ConfigError(`--${OLD}.device-${which} and --${Q}.device-${which} are mutually exclusive`);
    logger.warn(`--${OLD}.device-${which} is deprecated, use --${Q}.device-${which}`);
    value = old;
  }
  return value === '' ? undefined : compileRegexp(value, `${Q}.device-${which}`);
}

export const qdisc: CollectorDefinition = {
  name: 'qdisc',
  defaultEnabled: false,
  options: [
    { flag: `${Q}.fixtures`, help: 'Read qdisc records from <dir>/results.json instead of netlink (for end-to-end tests).', defaultValue: '' },
    { flag: `${Q}.device-include`, help: 'Regexp of devices whose qdiscs to report (exclusive with device-exclude).' },
    { flag: `${OLD}.device-include`, help: 'Deprecated spelling of --collector.qdisc.device-include.', hidden: true },
    { flag: `${Q}.device-exclude`, help: 'Regexp of devices whose qdiscs to skip (exclusive with device-include).' },
    { flag: `${OLD}.device-exclude`, help: 'Deprecated spelling of --collector.qdisc.device-exclude.', hidden: true },
  ],
  create({ options, logger }) {
    const include = pattern(options, logger, 'include');
    const exclude = pattern(options, logger, 'exclude');
    if (include !== undefined && exclude !== undefined) {
      throw new ConfigError(`--${Q}.device-include and --${Q}.device-exclude are mutually exclusive`);
    }
    const filter = new DeviceFilter(exclude, include);
    const fixtures = options.get(`${Q}.fixtures`);
    const load: () => Promise<QdiscInfo[]> =
      typeof fixtures === 'string' && fixtures !== '' ? () => readAndParse(path.join(fixtures, 'results.json'), parseQdiscFixture) : dumpQdiscs;
    return {
      async collect(_ctx, out) {
        for (const q of await load()) {
          // Root qdiscs only: a child's counters are already part of its root's.
          if (q.parent !== 0 || filter.ignored(q.ifaceName)) continue;
          for (const [desc, get] of FIELDS) out.add(desc, get(q), q.ifaceName, q.kind);
        }
      },
    };
  },
};
