import { DescTable, newDesc, type CollectorDefinition } from '../collector.js';
import type { Logger } from '../logger.js';
import { systemPageSize } from '../read/self.js';
import { parseSockstat, type Sockstat } from '../procfs/net-sockstat.js';
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
      return {
        async collect(_ctx, out) {
          const [stat4, stat6, page] = await Promise.all([readOptional(v4, logger), readOptional(v6, logger), pageSize()]);
          descs.nextRound();
          const perProtocol = (name: string, help: string, value: number) => out.add(descs.get(`node_sockstat_${name}`, help, 'gauge'), value);
          if (stat4?.used !== undefined) out.add(socketsUsed, stat4.used);
          for (const p of [...(stat4?.protocols ?? []), ...(stat6?.protocols ?? [])]) {
            for (const key of COUNTERS) {
              const v = p[key];
              if (v !== undefined) perProtocol(`${p.protocol}_${key}`, `${p.protocol} sockets: ${key}, from /proc/net/sockstat.`, v);
            }
            // mem is in pages; node_exporter adds it in bytes too.
            if (p.mem !== undefined) perProtocol(`${p.protocol}_mem_bytes`, `${p.protocol} socket buffer memory in bytes.`, p.mem * page);
          }
        },
      };
    },
  };
}

export const sockstat = sockstatDefinition();
