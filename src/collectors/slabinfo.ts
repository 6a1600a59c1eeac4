import { newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { compileRegexp } from '../config.js';
import { DeviceFilter } from '../device-filter.js';
import { readAndParse } from '../read/files.js';
import { parseSlabinfo, type Slab } from '../procfs/slabinfo.js';

const INCLUDE = 'collector.slabinfo.slabs-include';
const EXCLUDE = 'collector.slabinfo.slabs-exclude';

const FIELDS: readonly [Desc, (s: Slab) => number][] = [
  [newDesc('node_slabinfo_active_objects', 'Objects in use in this cache.', 'gauge', ['slab']), (s) => s.activeObjects],
  [newDesc('node_slabinfo_objects', 'Objects allocated in this cache, in use or not.', 'gauge', ['slab']), (s) => s.objects],
  [newDesc('node_slabinfo_object_size_bytes', 'Size of one object of this cache, in bytes.', 'gauge', ['slab']), (s) => s.objectSize],
  [newDesc('node_slabinfo_objects_per_slab', 'Objects that fit in one slab of this cache.', 'gauge', ['slab']), (s) => s.objectsPerSlab],
  [newDesc('node_slabinfo_pages_per_slab', 'Pages each slab of this cache takes.', 'gauge', ['slab']), (s) => s.pagesPerSlab],
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
      async collect(_ctx, out) {
        for (const s of await readAndParse(file, parseSlabinfo)) {
          if (filter.ignored(s.name)) continue;
          for (const [desc, value] of FIELDS) out.add(desc, value(s), s.name);
        }
      },
    };
  },
};
