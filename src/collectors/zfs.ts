import { readdir } from '../read/dir.js';
import { DescTable, NoDataError, newDesc, type CollectorDefinition } from '../collector.js';
import { parseFileText, readProcFiles } from '../read/files.js';
import { ZPOOL_STATES, parseZfsKstat, parseZfsObjset, parseZfsPoolIo, parseZfsPoolState } from '../procfs/zfs.js';
import { hasErrno } from '../errno.js';

const KSTAT_DIR = 'spl/kstat/zfs';

const poolState = newDesc('node_zfs_zpool_state', 'ZFS pool state: 1 for the state the pool is in, 0 for the others.', 'gauge', ['zpool', 'state']);

/** Metric subsystem → kstat file, as node_exporter maps them. A file the module lacks is skipped. */
const SUBSYSTEMS: readonly (readonly [string, string])[] = [
  ['zfs_abd', 'abdstats'],
  ['zfs_arc', 'arcstats'],
  ['zfs_dbuf', 'dbufstats'],
  ['zfs_dmu_tx', 'dmu_tx'],
  ['zfs_dnode', 'dnodestats'],
  ['zfs_fm', 'fm'],
  ['zfs_vdev_cache', 'vdev_cache_stats'],
  ['zfs_vdev_mirror', 'vdev_mirror_stats'],
  ['zfs_xuio', 'xuio_stats'],
  ['zfs_zfetch', 'zfetchstats'],
  ['zfs_zil', 'zil'],
];

/** A kstat name as a metric name part: the text after its last dot, dashes as underscores. */
function metricPart(kstat: string): string {
  return (kstat.split('.').pop() ?? kstat).replaceAll('-', '_');
}

interface PoolFiles {
  pool: string;
  io?: string;
  state?: string;
  objsets: string[];
}

/** Each pool directory and its io, state and objset-* kstats (node_exporter's three globs). */
async function listPools(base: string): Promise<PoolFiles[]> {
  const entries = await readdir(base, { withFileTypes: true });
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const pools = await Promise.all(
    dirs.map(async (pool): Promise<PoolFiles> => {
      const names = (await readdir(`${base}/${pool}`).catch(() => [] as string[])).sort();
      return {
        pool,
        ...(names.includes('io') ? { io: `${base}/${pool}/io` } : {}),
        ...(names.includes('state') ? { state: `${base}/${pool}/state` } : {}),
        objsets: names.filter((n) => n.startsWith('objset-')).map((n) => `${base}/${pool}/${n}`),
      };
    }),
  );
  return pools;
}

export const zfs: CollectorDefinition = {
  name: 'zfs',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.procFilePath(KSTAT_DIR);
    // One family per kstat name: names known only at run time.
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        const pools = await listPools(base).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`ZFS statistics are not available (${base})`);
          throw err;
        });
        descs.nextRound();

        // The module-wide kstats: a file this ZFS version lacks, or cannot be opened, is skipped.
        const statFiles = SUBSYSTEMS.map(([, file]) => `${base}/${file}`);
        const statTexts = await readProcFiles(statFiles);
        SUBSYSTEMS.forEach(([subsystem, file], i) => {
          const text = statTexts[i];
          if (text === undefined || text instanceof Error) return;
          for (const s of parseFileText(statFiles[i] ?? file, text, parseZfsKstat)) {
            out.add(descs.get(`node_${subsystem}_${metricPart(s.name)}`, `ZFS kstat ${file} statistic ${s.name}.`, 'untyped'), s.value);
          }
        });

        // Per pool: a pool exported mid-scrape takes its files with it; skip what vanished.
        const ioFiles = pools.flatMap((p) => (p.io === undefined ? [] : [{ pool: p.pool, path: p.io }]));
        const objsetFiles = pools.flatMap((p) => p.objsets.map((path) => ({ pool: p.pool, path })));
        const stateFiles = pools.flatMap((p) => (p.state === undefined ? [] : [{ pool: p.pool, path: p.state }]));
        const texts = await readProcFiles([...ioFiles, ...objsetFiles, ...stateFiles].map((f) => f.path));
        const textOf = (i: number): string | undefined => {
          const t = texts[i];
          if (t === undefined || hasErrno(t, 'ENOENT')) return undefined;
          if (t instanceof Error) throw t;
          return t;
        };

        ioFiles.forEach(({ pool, path }, i) => {
          const text = textOf(i);
          if (text === undefined) return;
          for (const s of parseFileText(path, text, parseZfsPoolIo)) {
            out.add(descs.get(`node_zfs_zpool_${metricPart(s.name)}`, `ZFS pool I/O statistic ${s.name}.`, 'untyped', ['zpool']), s.value, pool);
          }
        });
        objsetFiles.forEach(({ pool, path }, i) => {
          const text = textOf(ioFiles.length + i);
          if (text === undefined) return;
          const objset = parseFileText(path, text, parseZfsObjset);
          // Upstream takes the pool name from the path only once it has seen dataset_name.
          const zpool = objset.dataset === undefined ? '' : pool;
          for (const s of objset.stats) {
            const desc = descs.get(`node_zfs_zpool_dataset_${metricPart(s.name)}`, `ZFS dataset objset statistic ${s.name}.`, 'untyped', ['zpool', 'dataset']);
            out.add(desc, s.value, zpool, objset.dataset ?? '');
          }
        });
        stateFiles.forEach(({ pool }, i) => {
          const text = textOf(ioFiles.length + objsetFiles.length + i);
          if (text === undefined) return;
          const state = parseZfsPoolState(text);
          for (const name of ZPOOL_STATES) out.add(poolState, state === name ? 1 : 0, pool, name);
        });
      },
    };
  },
};
