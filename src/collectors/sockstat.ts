import { DescTable, newDesc, type CollectorDefinition } from '../collector.js';
import type { Logger } from '../logger.js';
import { systemPageSize } from '../read/self.js';
import { parseSockstat, type Sockstat, type SockstatProtocol } from '../procfs/net-sockstat.js';
import { readAndParse } from '../read/files.js';
import { hasErrno } from '../errno.js';

const socketsUsed = newDesc('node_sockstat_sockets_used', 'IPv4 sockets in use.', 'gauge');
const COUNTERS = ['inuse', 'orphan', 'tw', 'alloc', 'mem', 'memory'] as const;

/** A kernel without IPv4 or IPv6 has no sockstat or sockstat6: skip that half, as upstream. */
async function readOptional(file: string, logger: Logger): Promise<Sockstat | undefined> {
  try {
    return await readAndParse(file, parseSockstat);
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
    logger.debug('sockstat file not found, skipping', { file });
    return undefined;
  }
}

export interface SockstatOptions {
  /** Bytes per page, for *_mem_bytes; this machine's by default. */
  pageSize?: () => Promise<number>;
}

export function sockstatDefinition(opts: SockstatOptions = {}): CollectorDefinition {
  return {
    name: 'sockstat',
    defaultEnabled: true,
    create({ paths, logger }) {
      const v4 = paths.procFilePath('net/sockstat');
      const v6 = paths.procFilePath('net/sockstat6');
      const pageSize = opts.pageSize ?? systemPageSize;
      // The protocols are the kernel's lines (TCP, UDP6, FRAG, ...): names known only at run time.
      const descs = new DescTable();
      // Each protocol's metric names and help texts, built once (not every scrape); bounded as
      // the kernel's protocol lines are, and started over should a file ever carry more.
      const texts = new Map<string, { names: string[]; helps: string[] }>();
      const textsOf = (protocol: string) => {
        let t = texts.get(protocol);
        if (t === undefined) {
          if (texts.size >= 256) texts.clear();
          t = {
            names: [...COUNTERS.map((key) => `node_sockstat_${protocol}_${key}`), `node_sockstat_${protocol}_mem_bytes`],
            helps: [...COUNTERS.map((key) => `${protocol} sockets: ${key}, from /proc/net/sockstat.`), `${protocol} socket buffer memory in bytes.`],
          };
          texts.set(protocol, t);
        }
        return t;
      };
      return {
        async collect(_ctx, out) {
          const [stat4, stat6, page] = await Promise.all([readOptional(v4, logger), readOptional(v6, logger), pageSize()]);
          descs.nextRound();
          const perProtocol = (name: string, help: string, value: number) => out.add(descs.get(name, help, 'gauge'), value);
          if (stat4?.used !== undefined) out.add(socketsUsed, stat4.used);
          for (const protocols of [stat4?.protocols, stat6?.protocols]) {
            if (protocols === undefined) continue;
            for (let i = 0; i < protocols.length; i++) {
              const p = protocols[i] as SockstatProtocol;
              const { names, helps } = textsOf(p.protocol);
              for (let k = 0; k < COUNTERS.length; k++) {
                const v = p[COUNTERS[k] as (typeof COUNTERS)[number]];
                if (v !== undefined) perProtocol(names[k] as string, helps[k] as string, v);
              }
              // mem is in pages; node_exporter adds it in bytes too.
              if (p.mem !== undefined) perProtocol(names[COUNTERS.length] as string, helps[COUNTERS.length] as string, p.mem * page);
            }
          }
        },
      };
    },
  };
}

export const sockstat = sockstatDefinition();
