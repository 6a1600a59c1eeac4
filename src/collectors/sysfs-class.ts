import { readdir } from '../procfs/dir.js';
import path from 'node:path';
import { family, NoDataError, type Labels, type MetricFamily, type MetricType, type OptionValues } from '../collector.js';
import { compileRegexp } from '../config.js';
import { DeviceFilter } from '../device-filter.js';
import { hasErrno, readAttributes } from '../procfs/read.js';

/**
 * I/O helpers shared by the sysfs-class collectors (hwmon, infiniband, watchdog, ...): list a
 * class directory, read many attributes in one batch, gather samples into families.
 */


/** The entries of a directory, sorted; a missing directory is "no data" (upstream's ErrNoData). */
export async function listOrNoData(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) throw new NoDataError(`${dir} does not exist`);
    throw err;
  }
}

/**
 * Reads the named attribute files of every device of a class directory, one batch for all.
 * Missing attributes are left out of the device's map; other read errors propagate.
 */
export async function readClassAttributes<F extends string>(classDir: string, files: readonly F[]): Promise<Map<string, Map<F, string>>> {
  const devices = (await readdir(classDir)).sort();
  // Started together, so the reads still go to the addon in one trip.
  const attrs = await Promise.all(devices.map((d) => readAttributes(path.join(classDir, d), files, false)));
  return new Map(devices.map((d, i) => [d, attrs[i] ?? new Map<F, string>()]));
}

/** Families built up sample by sample, in first-seen order; the first help and type given win. */
export class FamilyMap {
  private readonly families = new Map<string, MetricFamily>();

  add(name: string, help: string, type: MetricType, labels: Labels, value: number): void {
    let f = this.families.get(name);
    if (f === undefined) this.families.set(name, (f = family(name, help, type)));
    f.samples.push({ labels, value });
  }

  list(): MetricFamily[] {
    return [...this.families.values()];
  }
}

/**
 * An include/exclude pair compiled each on its own, as upstream's newDeviceFilter does for
 * hwmon and infiniband: no defaults, and giving both is allowed (exclude, then include, apply).
 */
export function independentFilter(options: OptionValues, exclude: string, include: string): DeviceFilter {
  const re = (flag: string) => {
    const v = options.get(flag);
    return typeof v === 'string' && v !== '' ? compileRegexp(v, flag) : undefined;
  };
  return new DeviceFilter(re(exclude), re(include));
}
