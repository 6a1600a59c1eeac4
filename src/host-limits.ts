import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { getrlimit, sysinfo } from './native.js';

/** File descriptors the exporter needs besides one per connection (files, sockets, addon). */
const FD_HEADROOM = 64;

/**
 * What we check of the host at start, through the addon:
 * - getrlimit(RLIMIT_NOFILE): every concurrent scrape holds a socket and reads files, so a soft
 *   limit below --web.max-requests plus headroom turns busy scrapes into EMFILE errors. Warn.
 * - sysinfo(2): uptime, memory and process count of the host, logged once so a fleet's logs
 *   say what each exporter was running on.
 */
export async function logHostLimits(config: Config, logger: Logger): Promise<void> {
  try {
    const [nofile, info] = await Promise.all([getrlimit('nofile'), sysinfo()]);
    logger.info('Host', {
      uptime_seconds: info.uptime,
      memory_bytes: info.totalram,
      procs: info.procs,
      open_files_limit: nofile.soft,
    });
    const need = config.web.maxRequests + FD_HEADROOM;
    if (nofile.soft < need) {
      logger.warn('open files limit is low for --web.max-requests; raise it (ulimit -n) or lower the flag', {
        soft_limit: nofile.soft,
        hard_limit: nofile.hard,
        needed: need,
      });
    }
  } catch (err) {
    logger.warn('could not read host limits', { err });
  }
}
