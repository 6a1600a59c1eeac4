import { ConfigError, DescTable, listOption, newDesc, type CollectorDefinition, type Sink } from '../collector.js';
import type { Paths } from '../paths.js';
import { readAndParse } from '../read/files.js';
import { parseSysctlInts, parseSysctlValues, sysctlFile } from '../procfs/sysctl.js';
import { sanitizeMetricName } from '../metric-name.js';

const F = 'collector.sysctl';
const infoDesc = newDesc('node_sysctl_info', 'A string sysctl value (one series per value, by index); always 1.', 'gauge', ['name', 'value', 'index']);

/** One --collector.sysctl.include[-info] value: "name" or, for numeric ones, "name:key1,key2". */
export interface SysctlSpec {
  name: string;
  /** One suffix per value: node_sysctl_<name>_<key> instead of an index label. */
  keys?: string[];
  numeric: boolean;
}

const metricName = (spec: SysctlSpec) => `node_sysctl_${sanitizeMetricName(spec.name)}`;

/** Parses a flag value. Specs that can never produce a metric are rejected before we listen. */
export function parseSysctlSpec(text: string, numeric: boolean): SysctlSpec {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const flag = numeric ? `${F}.include` : `${F}.include-info`;
  if (name === '') throw new ConfigError(`--${flag}: empty sysctl name in ${JSON.stringify(text)}`);
  if (colon < 0) return { name, numeric };
  if (!numeric) throw new ConfigError(`--${flag}: ${JSON.stringify(text)}: named fields are only supported for numeric sysctls`);
  const keys = text.slice(colon + 1).split(',');
  const spec = { name, keys, numeric };
  for (const key of keys) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(`${metricName(spec)}_${key}`)) {
      throw new ConfigError(`--${flag}: ${JSON.stringify(key)} in ${JSON.stringify(text)} does not make a valid metric name`);
    }
  }
  return spec;
}

/** A sysctl's values, checked against the names its spec gives them. */
async function readSysctl(spec: SysctlSpec, paths: Paths): Promise<(number | string)[]> {
  const file = paths.procFilePath(sysctlFile(spec.name));
  const values: (number | string)[] = spec.numeric ? await readAndParse(file, parseSysctlInts) : await readAndParse(file, parseSysctlValues);
  if (values.length === 0) throw new Error(`sysctl ${spec.name} has no values`);
  const keys = spec.keys;
  // As node_exporter: names are for multi-value sysctls; a single value never takes one.
  if (keys !== undefined && (values.length === 1 || values.length !== keys.length)) {
    throw new Error(`sysctl ${spec.name} has ${values.length} values but ${keys.length} names were given (${keys.join(',')})`);
  }
  return values;
}

function addSysctl(out: Sink, descs: DescTable, spec: SysctlSpec, values: readonly (number | string)[]): void {
  if (spec.keys !== undefined) {
    spec.keys.forEach((key, i) => out.add(descs.get(`${metricName(spec)}_${key}`, `Field ${i} of sysctl ${spec.name}.`, 'untyped'), Number(values[i])));
    return;
  }
  if (!spec.numeric) {
    values.forEach((v, i) => out.add(infoDesc, 1, spec.name, String(v), String(i)));
    return;
  }
  const help = `Value of sysctl ${spec.name}.`;
  // A single value has no index label; several are told apart by one.
  if (values.length === 1) out.add(descs.get(metricName(spec), help, 'untyped'), Number(values[0]));
  else values.forEach((v, i) => out.add(descs.get(metricName(spec), help, 'untyped', ['index']), Number(v), String(i)));
}

export const sysctl: CollectorDefinition = {
  name: 'sysctl',
  defaultEnabled: false,
  options: [
    { flag: `${F}.include`, help: 'A numeric sysctl to report, as name or name:field1,field2,... to name its values; repeatable.', repeatable: true },
    { flag: `${F}.include-info`, help: 'A string sysctl to report as node_sysctl_info labels; repeatable.', repeatable: true },
  ],
  create({ paths, options }) {
    const specs = [...listOption(options, `${F}.include`).map((t) => parseSysctlSpec(t, true)), ...listOption(options, `${F}.include-info`).map((t) => parseSysctlSpec(t, false))];
    // Each numeric sysctl is a family of its own, named after it.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        // One unreadable sysctl fails the collector, as in node_exporter.
        const values = await Promise.all(specs.map((s) => readSysctl(s, paths)));
        descs.nextRound();
        specs.forEach((spec, i) => addSysctl(out, descs, spec, values[i] ?? []));
      },
    };
  },
};
