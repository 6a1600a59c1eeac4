import { readdir } from '../procfs/dir.js';
import { hasErrno, readAttributes } from '../procfs/read.js';
import { family, NoDataError, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { NVME_CONTROLLER_FILES, NVME_NAMESPACE_FILES, nvmeNamespaceId, parseNvmeNamespace, type NvmeNamespace } from '../sysfs/nvme.js';

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
  const namespaces = await Promise.all(entries.flatMap((entry) => {
    const id = nvmeNamespaceId(entry);
    if (id === undefined) return [];
    return [readAttributes(`${dir}/${entry}`, NVME_NAMESPACE_FILES).then((files) => {
      requireAll(`${dir}/${entry}`, files, NVME_NAMESPACE_FILES.filter((f) => f !== 'ana_state'));
      return parseNvmeNamespace(id, files);
    })];
  }));
  return { name, attributes, namespaces };
}

/** NVMe controllers and their namespaces from <sysfs>/class/nvme. */
export const nvme: CollectorDefinition = {
  name: 'nvme',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('class/nvme');
    return {
      async collect(): Promise<MetricFamily[]> {
        let controllers: Controller[];
        try {
          controllers = await Promise.all((await readdir(base)).sort().map((name) => readController(base, name)));
        } catch (err) {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`no NVMe devices: ${String(err)}`);
          throw err;
        }
        const info = family('node_nvme_info', 'Identity and state of an NVMe controller; the value is always 1.', 'gauge');
        const nsInfo = family('node_nvme_namespace_info', 'An NVMe namespace and its ANA state; the value is always 1.', 'gauge');
        const capacity = family('node_nvme_namespace_capacity_bytes', 'Capacity of the NVMe namespace in bytes (size in blocks times the logical block size).', 'gauge');
        const size = family('node_nvme_namespace_size_bytes', 'Size of the NVMe namespace in bytes.', 'gauge');
        const used = family('node_nvme_namespace_used_bytes', 'Bytes of the NVMe namespace in use.', 'gauge');
        const blockSize = family('node_nvme_namespace_logical_block_size_bytes', 'Logical block size of the NVMe namespace in bytes.', 'gauge');
        for (const c of controllers) {
          const a = (k: string): string => c.attributes.get(k) ?? '';
          info.samples.push({
            labels: { device: c.name, firmware_revision: a('firmware_rev'), model: a('model'), serial: a('serial'), state: a('state'), cntlid: a('cntlid') },
            value: 1,
          });
          for (const ns of c.namespaces) {
            const labels = { device: c.name, nsid: ns.id };
            nsInfo.samples.push({ labels: { ...labels, ana_state: ns.anaState }, value: 1 });
            capacity.samples.push({ labels, value: ns.sizeBytes });
            size.samples.push({ labels, value: ns.sizeBytes });
            used.samples.push({ labels, value: ns.usedBytes });
            blockSize.samples.push({ labels, value: ns.logicalBlockSize });
          }
        }
        return [info, nsInfo, capacity, size, used, blockSize];
      },
    };
  },
};
