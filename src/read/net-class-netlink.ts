import type { Logger } from '../logger.js';
import { SyscallError } from '../native.js';
import type { GenlFamily } from '../netlink/genl.js';
import { dumpLinkModes, resolveEthtoolFamily, type LinkModes } from '../netlink/ethtool-linkmodes.js';
import { dumpLinkDetails, type RtnlLink } from '../netlink/link.js';
import type { Paths } from '../paths.js';
import { parseGoInt } from '../procfs/go-number.js';
import { readProcFiles } from './files.js';
import { isSkippableAttributeError } from '../sysfs/net-class.js';
import { ownPaths } from './self.js';

/**
 * What --collector.netclass.netlink reads: interfaces from one RTM_GETLINK dump, speed and
 * duplex from the ethtool netlink family, and the three attributes netlink lacks from sysfs.
 * Like upstream it asks the exporter's own network namespace and reads those attributes under
 * the real /sys, whatever --path.sysfs says.
 */
export interface NetClassNetlinkSources {
  /** Where this namespace's /sys shows (tests point it at fixtures). */
  ownNamespace?: Paths;
  /** The kernel calls, replaceable by tests. */
  dumpLinks?: () => Promise<RtnlLink[]>;
  resolveEthtool?: () => Promise<GenlFamily | undefined>;
  dumpLinkModes?: (f: GenlFamily) => Promise<LinkModes[]>;
}

const SYSFS_ONLY = ['addr_assign_type', 'dev_id', 'name_assign_type'] as const;
export type SysfsOnly = ReadonlyMap<(typeof SYSFS_ONLY)[number], number>;

/** One scrape's view of the links not ignored. */
export interface NetClassNetlinkView {
  /** Link modes of every device the ethtool family answered for; none when the kernel lacks that family. */
  modes: LinkModes[];
  links: RtnlLink[];
  /** Link name → the sysfs-only attributes that could be read. */
  sysfsOnly: ReadonlyMap<string, SysfsOnly>;
}

/** Reads addr_assign_type, dev_id and name_assign_type of each link in one batch; unreadable or unparsable ones stay unset, as upstream's. */
async function sysfsOnlyAttributes(sys: Paths, links: readonly RtnlLink[]): Promise<Map<string, SysfsOnly>> {
  const wanted = links.flatMap((l) => SYSFS_ONLY.map((attr) => ({ name: l.name, attr, path: sys.sysFilePath(`class/net/${l.name}/${attr}`) })));
  const texts = await readProcFiles(wanted.map((w) => w.path));
  const out = new Map(links.map((l) => [l.name, new Map<(typeof SYSFS_ONLY)[number], number>()]));
  wanted.forEach(({ name, attr }, n) => {
    const text = texts[n];
    if (text === undefined) throw new Error(`read ${wanted[n]?.path ?? ''}: no result`);
    if (typeof text !== 'string') {
      if (isSkippableAttributeError(text)) return;
      throw text;
    }
    const value = parseGoInt(text.trim());
    if (value !== undefined) out.get(name)?.set(attr, value);
  });
  return out;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** A dump that failed because the family or its data is not there (upstream: fs.ErrNotExist). */
const isNotExist = (err: unknown) => err instanceof SyscallError && err.code === 'ENOENT';

/**
 * A reader of the netlink view, for one collector: it remembers having said once that this
 * kernel has no ethtool family, so the log is not repeated every scrape.
 */
export function netClassNetlinkReader(logger: Logger, sources: NetClassNetlinkSources = {}): (ignored: RegExp) => Promise<NetClassNetlinkView> {
  const sys = sources.ownNamespace ?? ownPaths();
  const dumpLinks = sources.dumpLinks ?? dumpLinkDetails;
  const resolveEthtool = sources.resolveEthtool ?? resolveEthtoolFamily;
  const linkModes = sources.dumpLinkModes ?? dumpLinkModes;
  let toldUnavailable = false;

  async function modes(): Promise<LinkModes[]> {
    try {
      const f = await resolveEthtool();
      if (f !== undefined) return await linkModes(f);
    } catch (err) {
      if (!isNotExist(err)) throw new Error(`netclass: could not get link modes: ${messageOf(err)}`, { cause: err });
    }
    if (!toldUnavailable) logger.info('ETHTOOL netlink interface unavailable, duplex and linkspeed are not scraped.');
    toldUnavailable = true;
    return [];
  }

  return async (ignored) => {
    const wanted = (await modes()).filter((lm) => !ignored.test(lm.name));
    let links: RtnlLink[];
    try {
      links = (await dumpLinks()).filter((l) => !ignored.test(l.name));
    } catch (err) {
      throw new Error(`netclass: could not get net class info: ${messageOf(err)}`, { cause: err });
    }
    return { modes: wanted, links, sysfsOnly: await sysfsOnlyAttributes(sys, links) };
  };
}
