import { ConfigError, type OptionValues } from './collector.js';
import { compileRegexp } from './config.js';
import type { Logger } from './logger.js';

/**
 * Include/exclude by regexp, the way node_exporter's collectors filter devices, mount points
 * and fs types: ignored when the exclude pattern matches, or an include pattern exists and
 * doesn't. Patterns are unanchored searches, as Go's MatchString.
 */
export class DeviceFilter {
  constructor(
    readonly exclude?: RegExp,
    readonly include?: RegExp,
  ) {}

  ignored(name: string): boolean {
    return this.exclude?.test(name) || (this.include !== undefined && !this.include.test(name));
  }
}

export interface FilterFlags {
  exclude: string;
  include: string;
  /** An older name of the exclude flag, still accepted with a warning. */
  deprecatedExclude?: string;
}

/**
 * Builds a DeviceFilter from a collector's -exclude/-include flag pair with node_exporter's
 * rules: giving only the include flag drops the default exclude; giving both explicitly, or the
 * deprecated and the new exclude flag together, is an error.
 */
export function filterFromFlags(flags: FilterFlags, options: OptionValues, explicit: ReadonlySet<string>, logger: Logger): DeviceFilter {
  const text = (flag: string) => {
    const v = options.get(flag);
    return typeof v === 'string' ? v : '';
  };
  let exclude = text(flags.exclude);
  const include = text(flags.include);
  const excludeGiven = explicit.has(flags.exclude);
  if (flags.deprecatedExclude !== undefined && text(flags.deprecatedExclude) !== '') {
    if (excludeGiven) {
      throw new ConfigError(`--${flags.deprecatedExclude} and --${flags.exclude} are mutually exclusive`);
    }
    logger.warn(`--${flags.deprecatedExclude} is deprecated, use --${flags.exclude}`);
    exclude = text(flags.deprecatedExclude);
  } else if (include !== '' && !excludeGiven) {
    exclude = '';
  }
  if (exclude !== '' && include !== '') {
    throw new ConfigError(`--${flags.exclude} and --${flags.include} are mutually exclusive`);
  }
  return new DeviceFilter(exclude === '' ? undefined : compileRegexp(exclude, flags.exclude), include === '' ? undefined : compileRegexp(include, flags.include));
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
