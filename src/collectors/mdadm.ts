import { readdir } from '../read/dir.js';
import { NoDataError, newDesc, type CollectorDefinition } from '../collector.js';
import type { Paths } from '../paths.js';
import { parseMdstat } from '../procfs/mdstat.js';
import { parseFileText, readAndParse, readProcFile } from '../read/files.js';
import { parseUintValue } from '../procfs/value-file.js';
import { CHUNKED_LEVELS, CONTAINER_LEVELS, REDUNDANT_LEVELS, parseRaidDisks, parseSyncCompleted } from '../sysfs/mdraid.js';
import { hasErrno } from '../errno.js';

/** The md_state series node_exporter emits, each with the mdstat activity state that sets it. */
const STATES: readonly (readonly [string, string])[] = [
  ['active', 'active'],
  ['inactive', 'inactive'],
  ['recovering', 'recovering'],
  ['resync', 'resyncing'],
  ['check', 'checking'],
];

const DEVICE = ['device'];
const disksRequired = newDesc('node_md_disks_required', 'Number of member disks the md array is built from.', 'gauge', DEVICE);
const disks = newDesc('node_md_disks', 'Member disks of the md array that are active, failed or spare.', 'gauge', ['device', 'state']);
const state = newDesc('node_md_state', 'Activity state of the md array: 1 for the state it is in.', 'gauge', ['device', 'state']);
const blocks = newDesc('node_md_blocks', 'Size of the md array in 1 KiB blocks.', 'gauge', DEVICE);
const blocksSynced = newDesc('node_md_blocks_synced', 'Blocks of the md array in sync (the whole size unless a sync runs).', 'gauge', DEVICE);
const raidDisks = newDesc('node_md_raid_disks', 'Number of devices of the complete md array (sysfs raid_disks).', 'gauge', DEVICE);
const degraded = newDesc('node_md_degraded', 'Number of devices the md array is missing (sysfs degraded).', 'gauge', DEVICE);

interface Mdraid {
  device: string;
  disks: number | undefined;
  degraded: number;
}

/**
 * One /sys/block/mdN/md directory. Like procfs it insists on the attributes every array has
 * (a missing one fails the read), though node_exporter only exports raid_disks and degraded.
 */
async function readMdraid(dir: string, device: string): Promise<Mdraid> {
  const attr = async (name: string): Promise<string> => (await readProcFile(`${dir}/${name}`)).trim();
  const [level] = await Promise.all([attr('level'), attr('array_state'), attr('metadata_version'), attr('uuid')]);
  let disks: number | undefined;
  if (!CONTAINER_LEVELS.has(level) && level !== '') disks = parseRaidDisks(await readProcFile(`${dir}/raid_disks`));
  const components = (await readdir(dir)).filter((n) => n.startsWith('dev-'));
  await Promise.all(components.map((c) => attr(`${c}/state`)));
  if (CHUNKED_LEVELS.has(level)) await readAndParse(`${dir}/chunk_size`, parseUintValue);
  let degraded = 0;
  if (REDUNDANT_LEVELS.has(level)) {
    const [d, , completed] = await Promise.all([readAndParse(`${dir}/degraded`, parseUintValue), attr('sync_action'), attr('sync_completed')]);
    parseFileText(`${dir}/sync_completed`, completed, parseSyncCompleted);
    degraded = d;
  }
  return { device, disks, degraded };
}

async function readMdraids(paths: Paths): Promise<Mdraid[]> {
  const block = paths.sysFilePath('block');
  const names = (
    await readdir(block).catch((err: unknown) => {
      if (hasErrno(err, 'ENOENT')) return [] as string[];
      throw err;
    })
  )
    .filter((n) => n.startsWith('md'))
    .sort();
  const withMd = await Promise.all(
    names.map(async (n) =>
      (await readdir(`${block}/${n}/md`).then(
        () => true,
        () => false,
      ))
        ? n
        : undefined,
    ),
  );
  return Promise.all(withMd.filter((n) => n !== undefined).map((n) => readMdraid(`${block}/${n}/md`, n)));
}

export const mdadm: CollectorDefinition = {
  name: 'mdadm',
  defaultEnabled: true,
  create({ paths, logger }) {
    const mdstatPath = paths.procFilePath('mdstat');
    return {
      async collect(_ctx, out) {
        const arrays = await readAndParse(mdstatPath, parseMdstat).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`${mdstatPath} does not exist`);
          throw err;
        });
        let mdraids: Mdraid[] = [];
        try {
          mdraids = await readMdraids(paths);
        } catch (err) {
          // An array stopped mid-read takes its attributes with it: report what mdstat said.
          if (!hasErrno(err, 'ENOENT')) throw err;
          logger.debug('md sysfs attributes vanished, skipping them', { err: (err as Error).message });
        }
        for (const md of arrays) {
          const device = md.name;
          out.add(disksRequired, md.disksTotal, device);
          out.add(disks, md.disksActive, device, 'active');
          out.add(disks, md.disksFailed, device, 'failed');
          out.add(disks, md.disksSpare, device, 'spare');
          for (const [name, activity] of STATES) out.add(state, md.activityState === activity ? 1 : 0, device, name);
          out.add(blocks, md.blocksTotal, device);
          out.add(blocksSynced, md.blocksSynced, device);
        }
        for (const r of mdraids) {
          if (r.disks !== undefined) out.add(raidDisks, r.disks, r.device);
          out.add(degraded, r.degraded, r.device);
        }
      },
    };
  },
};
