import { readProcFiles } from '../procfs/read.js';

/**
 * Reads some attribute files of one sysfs directory in a single batch, as procfs' SysReadFile
 * does: each text whitespace-trimmed. A file that does not exist is left out of the map (the
 * driver does not offer it); any other error (EACCES, EIO) throws.
 *
 * The one I/O helper beside the sysfs parsers: the collectors that read per-device attribute
 * sets (fibrechannel, nvme, tapestats, dmmultipath) share it.
 */
export async function readAttributes(dir: string, names: readonly string[]): Promise<Map<string, string>> {
  const results = await readProcFiles(names.map((n) => `${dir}/${n}`));
  const out = new Map<string, string>();
  names.forEach((name, i) => {
    const r = results[i];
    if (typeof r === 'string') out.set(name, r.trim());
    else if (r !== undefined && (r as NodeJS.ErrnoException).code !== 'ENOENT') throw r;
  });
  return out;
}
