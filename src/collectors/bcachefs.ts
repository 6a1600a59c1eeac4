import { readdir } from '../read/dir.js';
import { type CollectorDefinition, DescTable, newDesc, NoDataError, type Sink } from '../collector.js';
import { parseFileText, readProcFiles } from '../read/files.js';
import { parseUintValue } from '../procfs/value-file.js';
import {
  parseBcachefsBtreeWriteStats,
  parseBcachefsBytes,
  parseBcachefsCompressionStats,
  parseBcachefsCounter,
  parseBcachefsErrors,
  parseBcachefsIoDone,
  parseBcachefsIoErrors,
} from '../sysfs/bcachefs.js';
import { sanitizeMetricName } from '../metric-name.js';
import { hasErrno } from '../errno.js';

const DEVICE_FILES = ['label', 'state', 'bucket_size', 'nbuckets', 'durability', 'io_done', 'io_errors'] as const;
const FS_FILES = ['btree_cache_size', 'compression_stats', 'errors', 'btree_write_stats'] as const;

const UUID = ['uuid'];
const DEVICE = ['uuid', 'device'];
const info = newDesc('node_bcachefs_info', 'A bcachefs filesystem (always 1), by UUID.', 'gauge', UUID);
const btreeCacheSize = newDesc('node_bcachefs_btree_cache_size_bytes', 'Memory the btree node cache uses, in bytes.', 'gauge', UUID);
const compressed = newDesc('node_bcachefs_compression_compressed_bytes', 'Data stored with this compression algorithm, compressed size in bytes.', 'gauge', ['uuid', 'algorithm']);
const uncompressed = newDesc('node_bcachefs_compression_uncompressed_bytes', 'Data stored with this compression algorithm, uncompressed size in bytes.', 'gauge', [
  'uuid',
  'algorithm',
]);
const errorsTotal = newDesc('node_bcachefs_errors_total', 'Errors the filesystem has recorded, by error type.', 'counter', ['uuid', 'error_type']);
const btreeWrites = newDesc('node_bcachefs_btree_writes_total', 'Btree node writes, by kind of write.', 'counter', ['uuid', 'type']);
const btreeWriteSize = newDesc('node_bcachefs_btree_write_average_size_bytes', 'Average size of a btree node write in bytes, by kind of write.', 'gauge', ['uuid', 'type']);
const deviceInfo = newDesc('node_bcachefs_device_info', 'A member device of a bcachefs filesystem (always 1), with its label and state.', 'gauge', [...DEVICE, 'label', 'state']);
const bucketSize = newDesc('node_bcachefs_device_bucket_size_bytes', 'Bucket size of the device in bytes.', 'gauge', DEVICE);
const buckets = newDesc('node_bcachefs_device_buckets', 'Number of buckets on the device.', 'gauge', DEVICE);
const durability = newDesc('node_bcachefs_device_durability', 'Durability setting of the device (copies its data counts as).', 'gauge', DEVICE);
const ioDone = newDesc('node_bcachefs_device_io_done_bytes_total', 'Bytes read from or written to the device, by operation and data type.', 'counter', [
  ...DEVICE,
  'operation',
  'data_type',
]);
const ioErrors = newDesc('node_bcachefs_device_io_errors_total', 'I/O errors on the device since the filesystem was created, by type.', 'counter', [...DEVICE, 'type']);

/** Reads a batch of files: text, or undefined for a file that does not exist; other errors throw. */
async function readOptional(paths: readonly string[]): Promise<Map<string, string | undefined>> {
  const results = await readProcFiles(paths);
  return new Map(
    paths.map((p, i) => {
      const r = results[i];
      if (r === undefined || (typeof r !== 'string' && hasErrno(r, 'ENOENT'))) return [p, undefined];
      if (typeof r !== 'string') throw r;
      return [p, r];
    }),
  );
}

/** Parses an optional file: one that does not exist reads as `fallback`, as upstream treats it. */
function parseNamed<T>(path: string, text: string | undefined, parse: (t: string) => T, fallback: T): T {
  return text === undefined ? fallback : parseFileText(path, text, parse);
}

async function collectFilesystem(dir: string, uuid: string, counterDescs: DescTable, out: Sink): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const devices = entries
    .filter((e) => e.isDirectory() && e.name.startsWith('dev-'))
    .map((e) => e.name)
    .sort();
  const counters = (
    await readdir(`${dir}/counters`, { withFileTypes: true }).catch((err: unknown) => {
      if (hasErrno(err, 'ENOENT')) return [];
      throw err;
    })
  )
    .filter((e) => !e.isDirectory())
    .map((e) => e.name)
    .sort();

  const devicePaths = devices.flatMap((d) => DEVICE_FILES.map((f) => `${dir}/${d}/${f}`));
  // label and state are read leniently upstream: any error reads as "".
  const lenient = new Set(devices.flatMap((d) => [`${dir}/${d}/label`, `${dir}/${d}/state`]));
  const strictPaths = [...FS_FILES.map((f) => `${dir}/${f}`), ...counters.map((c) => `${dir}/counters/${c}`), ...devicePaths.filter((p) => !lenient.has(p))];
  const [files, lenientTexts] = await Promise.all([readOptional(strictPaths), readProcFiles([...lenient])]);
  const lenientOf = new Map([...lenient].map((p, i) => [p, lenientTexts[i]]));
  const text = (p: string): string | undefined => files.get(p);
  const trimmed = (p: string): string => {
    const t = lenientOf.get(p);
    return typeof t === 'string' ? t.trim() : '';
  };

  out.add(info, 1, uuid);
  const cache = text(`${dir}/btree_cache_size`)?.trim() ?? '';
  out.add(btreeCacheSize, cache === '' ? 0 : parseNamed(`${dir}/btree_cache_size`, cache, parseBcachefsBytes, 0), uuid);

  for (const c of parseNamed(`${dir}/compression_stats`, text(`${dir}/compression_stats`), parseBcachefsCompressionStats, [])) {
    out.add(compressed, c.compressedBytes, uuid, c.algorithm);
    out.add(uncompressed, c.uncompressedBytes, uuid, c.algorithm);
  }
  for (const [type, count] of parseNamed(`${dir}/errors`, text(`${dir}/errors`), parseBcachefsErrors, new Map<string, number>())) {
    out.add(errorsTotal, count, uuid, type);
  }
  for (const name of counters) {
    const path = `${dir}/counters/${name}`;
    const counter = parseNamed(path, text(path), parseBcachefsCounter, {});
    const desc = counterDescs.get(`node_bcachefs_${sanitizeMetricName(name)}_total`, `bcachefs event counter ${name}, since the filesystem was created.`, 'counter', UUID);
    out.add(desc, counter.sinceFilesystemCreation ?? 0, uuid);
  }
  for (const w of parseNamed(`${dir}/btree_write_stats`, text(`${dir}/btree_write_stats`), parseBcachefsBtreeWriteStats, [])) {
    out.add(btreeWrites, w.count, uuid, w.type);
    out.add(btreeWriteSize, w.averageSizeBytes, uuid, w.type);
  }

  for (const d of devices) {
    const device = d.slice('dev-'.length);
    const p = (f: string): string => `${dir}/${d}/${f}`;
    const bucketText = text(p('bucket_size'))?.trim() ?? '';
    const number = (f: string): number => {
      const t = text(p(f));
      return t === undefined ? 0 : parseNamed(p(f), t, parseUintValue, 0);
    };
    out.add(deviceInfo, 1, uuid, device, trimmed(p('label')), trimmed(p('state')));
    out.add(bucketSize, bucketText === '' ? 0 : parseNamed(p('bucket_size'), bucketText, parseBcachefsBytes, 0), uuid, device);
    out.add(buckets, number('nbuckets'), uuid, device);
    out.add(durability, number('durability'), uuid, device);
    for (const io of parseNamed(p('io_done'), text(p('io_done')), parseBcachefsIoDone, [])) {
      out.add(ioDone, io.bytes, uuid, device, io.operation, io.dataType);
    }
    for (const [type, count] of parseNamed(p('io_errors'), text(p('io_errors')), parseBcachefsIoErrors, new Map<string, number>())) {
      out.add(ioErrors, count, uuid, device, type);
    }
  }
}

export const bcachefs: CollectorDefinition = {
  name: 'bcachefs',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('fs/bcachefs');
    // One family per event counter file: names known only at run time.
    const counterDescs = new DescTable();
    return {
      async collect(_ctx, out) {
        counterDescs.nextRound();
        const entries = await readdir(base, { withFileTypes: true }).catch((err: unknown) => {
          if (hasErrno(err, 'ENOENT')) throw new NoDataError(`no bcachefs filesystems (${base} does not exist)`);
          throw err;
        });
        const uuids = entries
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort();
        if (uuids.length === 0) throw new NoDataError('no bcachefs filesystems mounted');
        // One filesystem at a time keeps the open-file count small; each is one batched read.
        for (const uuid of uuids) await collectFilesystem(`${base}/${uuid}`, uuid, counterDescs, out);
      },
    };
  },
};
