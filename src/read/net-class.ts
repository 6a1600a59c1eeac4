import { readdir } from './dir.js';
import type { Paths } from '../paths.js';
import { ParseError } from '../procfs/parse-error.js';
import { readProcFiles } from './files.js';
import { isNetClassAttribute, isSkippableAttributeError, parseNetClassIface, type NetClassIface } from '../sysfs/net-class.js';
import { hasErrno } from '../errno.js';

/** Reads the interface names under class/net; bonding_masters and other plain files are not interfaces. */
export async function netClassDevices(paths: Paths): Promise<string[]> {
  const entries = await readdir(paths.sysFilePath('class/net'), { withFileTypes: true });
  return entries
    .filter((e) => !e.isFile())
    .map((e) => e.name)
    .sort();
}

/** One interface's attributes; undefined when the interface went away while we looked. */
export async function readNetClassIface(paths: Paths, device: string): Promise<NetClassIface | undefined> {
  const dir = paths.sysFilePath(`class/net/${device}`);
  let files: string[];
  try {
    files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && isNetClassAttribute(e.name)).map((e) => e.name);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined;
    throw err;
  }
  const attributes = new Map<string, string>();
  const texts = await readProcFiles(files.map((file) => paths.sysFilePath(`class/net/${device}/${file}`)));
  texts.forEach((text, n) => {
    if (typeof text === 'string') attributes.set(files[n] ?? '', text);
    else if (!isSkippableAttributeError(text)) throw text;
  });
  try {
    return parseNetClassIface(device, attributes);
  } catch (err) {
    throw err instanceof ParseError ? err.withFile(dir) : err;
  }
}
