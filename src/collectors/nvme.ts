import { readdir } from '../read/dir.js';
import { readAttributes } from '../read/files.js';
import { newDesc, NoDataError, type CollectorDefinition } from '../collector.js';
import { NVME_CONTROLLER_FILES, NVME_NAMESPACE_FILES, nvmeNamespaceId, parseNvmeNamespace, type NvmeNamespace } from '../sysfs/nvme.js';
import { hasErrno } from '../errno.js';

const NAMESPACE = ['device', 'nsid'];
const info = newDesc('node_nvme_info', 'Identity and state of an NVMe controller; the value is always 1.', 'gauge', [
  'device',
  'firmware_revision',
  'model',
  'serial',
  'state',
  'cntlid',
]);
const nsInfo = newDesc('node_nvme_namespace_info', 'An NVMe namespace and its ANA state; the value is always 1.', 'gauge', [...NAMESPACE, 'ana_state']);
const capacity = newDesc('node_nvme_namespace_capacity_bytes', 'Capacity of the NVMe namespace in bytes (size in blocks times the logical block size).', 'gauge', NAMESPACE);
const size = newDesc('node_nvme_namespace_size_bytes', 'Size of the NVMe namespace in bytes.', 'gauge', NAMESPACE);
const used = newDesc('node_nvme_namespace_used_bytes', 'Bytes of the NVMe namespace in use.', 'gauge', NAMESPACE);
const blockSize = newDesc('node_nvme_namespace_logical_block_size_bytes', 'Logical block size of the NVMe namespace in bytes.', 'gauge', NAMESPACE);

interface Controller {
  name: string;
  attributes: Map<string, string>;
  namespaces: NvmeNamespace[];
}

/** A required attribute file that is missing: upstream then reports no data at all. */
function requireAll(dir: string, files: Map<string, string>, names: readonly string[]): void {
  const missing = names.find((n) => !files.has(n));
  if (missing !== undefined) throw new NoDataError(`${dir}/${missing} does not exist`);
}

async function readController(base: string, name: string): Promise<Controller> {
  const dir = `${base}/${name}`;
  const attributes = await readAttributes(dir, NVME_CONTROLLER_FILES);
  requireAll(dir, attributes, NVME_CONTROLLER_FILES);
  const entries = (await readdir(dir)).sort();
  const namespaces = await Promise.all(
    entries.flatMap((entry) => {
      const id = nvmeNamespaceId(entry);
      if (id === undefined) return [];
      return [
        readAttributes(`${dir}/${entry}`, NVME_NAMESPACE_FILES).then((files) => {
          requireAll(
            `${dir}/${entry}`,
            files,
            NVME_NAMESPACE_FILES.filter((f) => f !== 'ana_state'),
          );
          return parseNvmeNamespace(id, files);
        }),
      ];
    }),
  );
  return { name, attributes, namespaces };
}

/** NVMe controllers and their namespaces from <sysfs>/class/nvme. */
export const nvme: CollectorDefinition = {
  name: 'nvme',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('class/nvme');
    return {
      async collect(_ctx, out) {
        let controllers: Controller[];
        try {
          controllers = await Promise.all((await readdir(base)).sort().map((name) => readController(base, name)));
        } catch (err) {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`no NVMe devices: ${String(err)}`);
          throw err;
        }
        for (const c of controllers) {
          const a = (k: string): string => c.attributes.get(k) ?? '';
          out.addv(info, 1, [c.name, a('firmware_rev'), a('model'), a('serial'), a('state'), a('cntlid')]);
          for (const ns of c.namespaces) {
            out.add(nsInfo, 1, c.name, ns.id, ns.anaState);
            out.add(capacity, ns.sizeBytes, c.name, ns.id);
            out.add(size, ns.sizeBytes, c.name, ns.id);
            out.add(used, ns.usedBytes, c.name, ns.id);
            out.add(blockSize, ns.logicalBlockSize, c.name, ns.id);
          }
        }
      },
    };
  },
};
