import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { compileRegexp } from '../config.js';
import { DeviceFilter } from '../device-filter.js';
import { readAndParse } from '../procfs/read.js';
import { parseSlabinfo, type Slab } from '../procfs/slabinfo.js';

const INCLUDE = 'collector.slabinfo.slabs-include';
const EXCLUDE = 'collector.slabinfo.slabs-exclude';

const FIELDS: readonly [keyof Omit<Slab, 'name'>, string, string][] = [
  ['activeObjects', 'active_objects', 'Objects in use in this cache.'],
  ['objects', 'objects', 'Objects allocated in this cache, in use or not.'],
  ['objectSize', 'object_size_bytes', 'Size of one object of this cache, in bytes.'],
  ['objectsPerSlab', 'objects_per_slab', 'Objects that fit in one slab of this cache.'],
  ['pagesPerSlab', 'pages_per_slab', 'Pages each slab of this cache takes.'],
];

export const slabinfo: CollectorDefinition = {
  name: 'slabinfo',
  defaultEnabled: false,
  options: [
    { flag: INCLUDE, help: 'Regexp of slab caches to include.', defaultValue: '.*' },
    { flag: EXCLUDE, help: 'Regexp of slab caches to exclude.', defaultValue: '' },
  ],
  create({ paths, options }) {
    // Unlike the device flags, upstream lets both be set: a cache must match include and not exclude.
    const pattern = (flag: string) => {
      const v = options.get(flag);
      return typeof v === 'string' && v !== '' ? compileRegexp(v, flag) : undefined;
    };
    const filter = new DeviceFilter(pattern(EXCLUDE), pattern(INCLUDE));
    const file = paths.procFilePath('slabinfo');
    return {
      async collect(): Promise<MetricFamily[]> {
        const slabs = (await readAndParse(file, parseSlabinfo)).filter((s) => !filter.ignored(s.name));
        return FIELDS.map(([field, name, help]) =>
          family(`node_slabinfo_${name}`, help, 'gauge', slabs.map((s) => ({ labels: { slab: s.name }, value: s[field] }))),
        );
      },
    };
  },
};
