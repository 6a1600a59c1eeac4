import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { newDesc, type CollectorDefinition, type OptionValues } from '../collector.js';
import { parseRunitStatus, type RunitStatus } from '../etc/runit-status.js';
import type { Logger } from '../logger.js';
import { readFiles } from '../native.js';
import { withFileName } from '../read/files.js';

const LABELS = ['service', 'supervisor'];
const state = newDesc('node_service_state', 'State of the runit service: 0 down, 1 run, 2 finish.', 'gauge', LABELS);
const desiredState = newDesc('node_service_desired_state', 'State runsv is asked to keep the service in: 1 up, 0 down.', 'gauge', LABELS);
const normalState = newDesc('node_service_normal_state', 'Whether the runit service is normally up (1) or normally down (0).', 'gauge', LABELS);
const lastChange = newDesc('node_service_state_last_change_timestamp_seconds', "Unix time of the runit service's last state change.", 'gauge', LABELS);

const FLAG = 'collector.runit.servicedir';
const DEFAULT_SERVICE_DIR = '/etc/service';
/** A status file is 20 bytes; anything near this cap is not one runsv wrote. */
const STATUS_READ_LIMIT = 64 * 1024;

interface ServiceStatus {
  name: string;
  status: RunitStatus;
  normallyUp: boolean;
}

function serviceDir(options: OptionValues): string {
  const v = options.get(FLAG);
  // An empty value means the default, as in the library upstream uses.
  return typeof v === 'string' && v !== '' ? v : DEFAULT_SERVICE_DIR;
}

/** Service names: the directory's subdirectories and symlinks (to anything), in byte order. */
async function serviceNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() || e.isSymbolicLink())
    .map((e) => e.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/**
 * Each service's status; a service whose status can't be read or decoded (no supervise/ yet,
 * runsv never started, an empty file) is left out with a debug line, as upstream does.
 */
async function readStatuses(dir: string, names: readonly string[], logger: Logger): Promise<ServiceStatus[]> {
  const supervise = (name: string, file: string): string => path.join(dir, name, 'supervise', file);
  const files = names.map((n) => supervise(n, 'status'));
  const [contents, downs] = await Promise.all([
    readFiles(files, STATUS_READ_LIMIT),
    // "Normally up" unless supervise/down exists: that is where upstream's library looks (runit
    // itself keeps the `down` marker beside `run`, so upstream reports 1 for those too).
    Promise.all(
      names.map((n) =>
        stat(supervise(n, 'down')).then(
          () => true,
          () => false,
        ),
      ),
    ),
  ]);
  const out: ServiceStatus[] = [];
  names.forEach((name, i) => {
    const file = files[i] ?? '';
    const content = contents[i];
    try {
      if (content === undefined) throw new Error(`${file}: not read`);
      if (!Buffer.isBuffer(content)) throw content;
      const status = withFileName(file, () => parseRunitStatus(content));
      logger.debug('runit service status', { service: name, state: status.state, pid: status.pid });
      out.push({ name, status, normallyUp: downs[i] !== true });
    } catch (err) {
      logger.debug("couldn't get runit service status", { service: name, err });
    }
  });
  return out;
}

export const runit: CollectorDefinition = {
  name: 'runit',
  defaultEnabled: false,
  options: [
    {
      flag: FLAG,
      help: 'Directory holding the runit services to report (read as given, not under --path.rootfs).',
      defaultValue: DEFAULT_SERVICE_DIR,
    },
  ],
  create({ options, logger }) {
    // Upstream uses the flag as given, without --path.rootfs: so do we.
    const dir = serviceDir(options);
    logger.warn('the runit collector is deprecated upstream: node_exporter drops it in its next major release');
    return {
      async collect(_ctx, out) {
        const names = await serviceNames(dir);
        for (const s of await readStatuses(dir, names, logger)) {
          out.add(state, s.status.state, s.name, 'runit');
          out.add(desiredState, s.status.want === 'up' ? 1 : 0, s.name, 'runit');
          out.add(normalState, s.normallyUp ? 1 : 0, s.name, 'runit');
          out.add(lastChange, s.status.changedAt, s.name, 'runit');
        }
      },
    };
  },
};
