import { ConfigError } from '../collector.js';
import type { ListenAddress } from '../config.js';

/** The first fd systemd passes (SD_LISTEN_FDS_START). */
const FIRST_FD = 3;

/**
 * The listening sockets systemd passed under socket activation (sd_listen_fds(3)): LISTEN_FDS
 * sockets from fd 3 on, meant for us only when LISTEN_PID is our pid. None is an error, as in
 * exporter-toolkit: --web.systemd-socket without activation cannot serve anything.
 */
export function systemdListeners(env: NodeJS.ProcessEnv, pid: number): ListenAddress[] {
  const forPid = env.LISTEN_PID;
  const count = env.LISTEN_FDS;
  if (forPid === undefined || count === undefined) throw new ConfigError('--web.systemd-socket: no socket activation file descriptors found (LISTEN_PID/LISTEN_FDS unset)');
  if (forPid !== String(pid)) throw new ConfigError(`--web.systemd-socket: the activation sockets are for pid ${forPid}, not this process (${pid})`);
  if (!/^\d+$/.test(count) || Number(count) < 1) throw new ConfigError(`--web.systemd-socket: no socket activation file descriptors found (LISTEN_FDS=${JSON.stringify(count)})`);
  return Array.from({ length: Number(count) }, (_, i) => ({ fd: FIRST_FD + i }));
}
