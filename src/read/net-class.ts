import { readdir, stat } from './dir.js';
import type { Paths } from '../paths.js';
import { ParseError } from '../procfs/parse-error.js';
import { readProcFiles } from './files.js';
import { isSkippableAttributeError, NET_CLASS_ATTRIBUTES, parseNetClassAttributes, type NetClassIface } from '../sysfs/net-class.js';
import { hasErrno } from '../errno.js';

/** Reads the interface names under class/net; bonding_masters and other plain files are not interfaces. */
export async function netClassDevices(paths: Paths): Promise<string[]> {
  const entries = await readdir(paths.sysFilePath('class/net'), { withFileTypes: true });
  return entries
    .filter((e) => !e.isFile())
    .map((e) => e.name)
    .sort();
}

/**
 * One interface's attributes; undefined when the interface went away while we looked. Every
 * attribute we know is read by name rather than listing the directory first: every netdev has
 * the same attribute files (net-sysfs), the few a driver lacks or refuses are skipped as a listing
 * would have skipped them, and a scrape lists no interface directory.
 */
export async function readNetClassIface(paths: Paths, device: string): Promise<NetClassIface | undefined> {
  const dir = paths.sysFilePath(`class/net/${device}`);
  const texts = await readProcFiles(paths.sysFilePaths(`class/net/${device}`, NET_CLASS_ATTRIBUTES));
  const attributes = new Array<string | undefined>(texts.length);
  let missing = 0;
  for (let n = 0; n < texts.length; n++) {
    const text = texts[n];
    if (typeof text === 'string') attributes[n] = text;
    else if (hasErrno(text, 'ENOENT')) missing++;
    // EISDIR: not an attribute file (a listing's file filter left such entries out).
    else if (!isSkippableAttributeError(text) && !hasErrno(text, 'EISDIR')) throw text;
  }
  // Not one attribute: the interface is gone, unless its directory is still there (then it is
  // an interface without attributes, served as a listing would have served it).
  if (missing === NET_CLASS_ATTRIBUTES.length) {
    try {
      await stat(dir);
    } catch (err) {
      if (hasErrno(err, 'ENOENT')) return undefined;
      throw err;
    }
  }
  try {
    return parseNetClassAttributes(device, attributes);
  } catch (err) {
    throw err instanceof ParseError ? err.withFile(dir) : err;
  }
}
