import { readdir } from '../read/dir.js';
import { type CollectorDefinition, DescTable, NoDataError } from '../collector.js';
import { readFiles } from '../native.js';
import type { Paths } from '../paths.js';
import { READ_LIMIT } from '../read/files.js';
import { DMI_LABELS, dmiInfoLabels } from '../sysfs/dmi.js';
import { hasErrno } from '../errno.js';

const DMI_DIR = 'class/dmi/id';
const HELP = 'Hardware identity from DMI/SMBIOS (BIOS, board, chassis, product, vendor); always 1.';

/** Undefined when the platform has no DMI (no class/dmi/id directory) or nothing was readable. */
async function readDmi(paths: Paths): Promise<Record<string, string> | undefined> {
  const dir = paths.sysFilePath(DMI_DIR);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  // Regular files only, as procfs reads them: a symlink here is not a DMI string.
  const names = entries.filter((e) => e.isFile() && DMI_LABELS.has(e.name)).map((e) => e.name);
  const results = await readFiles(
    names.map((n) => paths.sysFilePath(`${DMI_DIR}/${n}`)),
    READ_LIMIT,
  );
  const files = new Map<string, Uint8Array>();
  results.forEach((r, i) => {
    const name = names[i];
    if (name === undefined) return;
    if (Buffer.isBuffer(r)) files.set(name, r);
    // Serials and the UUID are readable by root only: without them the rest still counts.
    else if (r.code !== 'EACCES' && r.code !== 'EPERM') throw r;
  });
  const labels = dmiInfoLabels(files);
  return Object.keys(labels).length === 0 ? undefined : labels;
}

export const dmi: CollectorDefinition = {
  name: 'dmi',
  defaultEnabled: true,
  create({ paths }) {
    // DMI strings don't change until the next boot: read them once, as node_exporter does. A
    // failed read is not remembered, so the next scrape tries again.
    let cached: Promise<Record<string, string> | undefined> | undefined;
    // The label names are the DMI strings this machine has.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        descs.nextRound();
        cached ??= readDmi(paths).catch((err: unknown) => {
          cached = undefined;
          throw err;
        });
        const labels = await cached;
        if (labels === undefined) throw new NoDataError(`no DMI information in ${paths.sysFilePath(DMI_DIR)}`);
        const names = Object.keys(labels);
        out.addv(
          descs.get('node_dmi_info', HELP, 'gauge', names),
          1,
          names.map((n) => labels[n] ?? ''),
        );
      },
    };
  },
};
