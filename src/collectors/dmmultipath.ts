import { readdir } from '../read/dir.js';
import { newDesc, NoDataError, type CollectorDefinition } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { readProcFile } from '../read/files.js';
import type { Paths } from '../paths.js';
import { isMultipathUuid, isPathActive, parseDmMultipathDevice, type DmMultipathDevice } from '../sysfs/dmmultipath.js';
import { hasErrno } from '../errno.js';

const MAP = ['device', 'sysfs_name'];
const info = newDesc('node_dmmultipath_device_info', 'A DM-multipath map with its UUID; the value is always 1.', 'gauge', [...MAP, 'uuid']);
const active = newDesc('node_dmmultipath_device_active', 'Whether the multipath map is active (1) or suspended (0).', 'gauge', MAP);
const size = newDesc('node_dmmultipath_device_size_bytes', 'Size of the multipath map in bytes.', 'gauge', MAP);
const pathCount = newDesc('node_dmmultipath_device_paths', 'Paths of the multipath map.', 'gauge', MAP);
const pathsActive = newDesc('node_dmmultipath_device_paths_active', 'Paths of the multipath map that are usable (SCSI running or NVMe live).', 'gauge', MAP);
const pathsFailed = newDesc('node_dmmultipath_device_paths_failed', 'Paths of the multipath map that are not usable.', 'gauge', MAP);
const pathState = newDesc('node_dmmultipath_path_state', 'The state of a multipath path device as the kernel reports it; the value is always 1.', 'gauge', [
  'device',
  'path',
  'state',
]);

async function readDevice(paths: Paths, sysfsName: string): Promise<DmMultipathDevice | undefined> {
  const dir = paths.sysFilePath(`block/${sysfsName}`);
  // No dm/uuid: not a device-mapper device after all.
  const uuid = await readProcFile(`${dir}/dm/uuid`).catch((err: unknown) => {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  });
  if (uuid === undefined || !isMultipathUuid(uuid)) return undefined;
  const [name, suspended, size] = await Promise.all(['dm/name', 'dm/suspended', 'size'].map((f) => readProcFile(`${dir}/${f}`)));
  const slaves = (
    await readdir(`${dir}/slaves`).catch((err: unknown) => {
      if (hasErrno(err, 'ENOENT')) return [] as string[];
      throw err;
    })
  ).sort();
  const pathList = await Promise.all(
    slaves.map(async (device) => {
      const state = await readProcFile(paths.sysFilePath(`block/${device}/device/state`));
      return { device, state: state.trim() };
    }),
  );
  try {
    return parseDmMultipathDevice(sysfsName, { uuid, name: name ?? '', suspended: suspended ?? '', size: size ?? '' }, pathList);
  } catch (err) {
    throw err instanceof ParseError ? err.withFile(`${dir}/${err.file ?? ''}`) : err;
  }
}

/** DM-multipath maps (dm-* block devices with an "mpath-" UUID) and the state of their paths. */
export const dmmultipath: CollectorDefinition = {
  name: 'dmmultipath',
  defaultEnabled: true,
  create({ paths }) {
    return {
      async collect(_ctx, out) {
        let devices: DmMultipathDevice[];
        try {
          const names = (await readdir(paths.sysFilePath('block'))).filter((n) => n.startsWith('dm-')).sort();
          devices = (await Promise.all(names.map((n) => readDevice(paths, n)))).filter((d): d is DmMultipathDevice => d !== undefined);
        } catch (err) {
          // As upstream: a file that is missing or unreadable means "no multipath here".
          if (hasErrno(err, 'ENOENT', 'EACCES')) throw new NoDataError(`cannot read DM-multipath devices: ${String(err)}`);
          throw err;
        }
        for (const d of devices) {
          const labels = [d.name, d.sysfsName] as const;
          out.addv(info, 1, [...labels, d.uuid]);
          out.addv(active, d.suspended ? 0 : 1, labels);
          out.addv(size, d.sizeBytes, labels);
          const up = d.paths.filter((p) => isPathActive(p.state)).length;
          for (const p of d.paths) out.add(pathState, 1, d.name, p.device, p.state);
          out.addv(pathCount, d.paths.length, labels);
          out.addv(pathsActive, up, labels);
          out.addv(pathsFailed, d.paths.length - up, labels);
        }
      },
    };
  },
};
