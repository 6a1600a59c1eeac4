import { newDesc, NoDataError, type CollectorDefinition } from '../collector.js';
import { readdir } from '../read/dir.js';
import { readAttributes } from '../read/files.js';
import {
  isNvmeSubsystemName,
  NVME_PATH_STATES,
  NVME_SUBSYSTEM_CONTROLLER_FILES,
  NVME_SUBSYSTEM_FILES,
  nvmeAttributeText,
  nvmePathState,
  nvmeSubsystemMembers,
} from '../sysfs/nvme-subsystem.js';
import { hasErrno } from '../errno.js';

const info = newDesc('node_nvmesubsystem_info', 'An NVMe subsystem: its NQN, model, serial and multipath I/O policy; the value is always 1.', 'gauge', [
  'subsystem',
  'nqn',
  'model',
  'serial',
  'iopolicy',
]);
const nsInfo = newDesc('node_nvmesubsystem_namespace_info', 'An NVMe namespace block device of the subsystem; the value is always 1.', 'gauge', ['subsystem', 'device']);
const pathCount = newDesc('node_nvmesubsystem_paths', 'Controllers (paths) of the NVMe subsystem.', 'gauge', ['subsystem']);
const liveCount = newDesc('node_nvmesubsystem_paths_live', 'Controllers (paths) of the NVMe subsystem in the live state.', 'gauge', ['subsystem']);
const pathState = newDesc('node_nvmesubsystem_path_state', 'State of an NVMe controller path: 1 for its current state, 0 for the others.', 'gauge', [
  'subsystem',
  'controller',
  'transport',
  'state',
]);

interface Subsystem {
  name: string;
  attributes: Record<(typeof NVME_SUBSYSTEM_FILES)[number], string>;
  controllers: { name: string; attributes: Record<(typeof NVME_SUBSYSTEM_CONTROLLER_FILES)[number], string> }[];
  namespaces: string[];
}

/** Every attribute of `names` in `dir`, as SysReadFile gives it; a missing one is a NoDataError. */
async function readRequired<F extends string>(dir: string, names: readonly F[]): Promise<Record<F, string>> {
  const files = await readAttributes(dir, names, false);
  const out = {} as Record<F, string>;
  for (const name of names) {
    const raw = files.get(name);
    if (raw === undefined) throw new NoDataError(`${dir}/${name} does not exist`);
    out[name] = nvmeAttributeText(raw);
  }
  return out;
}

async function readSubsystem(base: string, name: string): Promise<Subsystem> {
  const dir = `${base}/${name}`;
  const members = nvmeSubsystemMembers(await readdir(dir));
  const [attributes, controllers] = await Promise.all([
    readRequired(dir, NVME_SUBSYSTEM_FILES),
    Promise.all(members.controllers.map(async (c) => ({ name: c, attributes: await readRequired(`${dir}/${c}`, NVME_SUBSYSTEM_CONTROLLER_FILES) }))),
  ]);
  return { name, attributes, controllers, namespaces: members.namespaces };
}

/**
 * Upstream reports no data (success 0, at debug) when anything it reads is missing or not
 * permitted: no nvme-subsystem class, a kernel without multipath (no iopolicy), a path
 * vanishing mid-read. Every other error fails the collector.
 */
function noDataIfAbsent(err: unknown): never {
  if (hasErrno(err, 'ENOENT', 'EACCES', 'EPERM')) throw new NoDataError(`cannot read NVMe subsystems: ${String(err)}`);
  throw err;
}

/** NVMe subsystems and the health of their controller paths, from <sysfs>/class/nvme-subsystem. */
export const nvmesubsystem: CollectorDefinition = {
  name: 'nvmesubsystem',
  defaultEnabled: false,
  create({ paths }) {
    const base = paths.sysFilePath('class/nvme-subsystem');
    return {
      async collect(_ctx, out) {
        const subsystems = await (async () => {
          const names = (await readdir(base)).filter(isNvmeSubsystemName).sort();
          return Promise.all(names.map((n) => readSubsystem(base, n)));
        })().catch(noDataIfAbsent);
        for (const s of subsystems) {
          const a = s.attributes;
          out.addv(info, 1, [s.name, a.subsysnqn, a.model, a.serial, a.iopolicy]);
          for (const device of s.namespaces) out.add(nsInfo, 1, s.name, device);
          let live = 0;
          for (const c of s.controllers) {
            const current = nvmePathState(c.attributes.state);
            if (current === 'live') live++;
            for (const state of NVME_PATH_STATES) out.add(pathState, state === current ? 1 : 0, s.name, c.name, c.attributes.transport, state);
          }
          out.add(pathCount, s.controllers.length, s.name);
          out.add(liveCount, live, s.name);
        }
      },
    };
  },
};
