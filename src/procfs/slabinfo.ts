import { ParseError, parseUint } from './parse-error.js';

/** One cache of /proc/slabinfo (format 2.1), the fields node_exporter reports. */
export interface Slab {
  name: string;
  activeObjects: number;
  objects: number;
  objectSize: number;
  objectsPerSlab: number;
  pagesPerSlab: number;
}

/**
 * Format 2.1 (stable since 2.6.10): a version line, a "# name ..." header, then one line per
 * cache of 16 fields: name, five numbers, ": tunables" and three numbers, ": slabdata" and
 * three numbers. The literal separators are checked so a shifted column cannot pass.
 */
export function parseSlabinfo(text: string): Slab[] {
  const slabs: Slab[] = [];
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('# name')) return;
    if (trimmed.startsWith('slabinfo -')) {
      if (!/^slabinfo - version: 2\.\d+$/.test(trimmed)) {
        throw new ParseError('unsupported slabinfo version, want 2.x', line, lineNumber);
      }
      return;
    }
    const f = trimmed.split(/\s+/);
    if (f.length !== 16) throw new ParseError(`slabinfo line has ${f.length} fields, want 16`, line, lineNumber);
    if (f[6] !== ':' || f[7] !== 'tunables' || f[11] !== ':' || f[12] !== 'slabdata') {
      throw new ParseError('slabinfo line lacks ": tunables" / ": slabdata"', line, lineNumber);
    }
    const num = (idx: number, what: string) => parseUint(f[idx], what, line, lineNumber);
    // The tunables and slabdata columns are validated too: a malformed one means a bad read.
    for (const idx of [8, 9, 10, 13, 14, 15]) num(idx, `column ${idx + 1}`);
    slabs.push({
      name: f[0] ?? '',
      activeObjects: num(1, 'active objects'),
      objects: num(2, 'objects'),
      objectSize: num(3, 'object size'),
      objectsPerSlab: num(4, 'objects per slab'),
      pagesPerSlab: num(5, 'pages per slab'),
    });
  });
  if (slabs.length === 0) throw new ParseError('slabinfo has no caches');
  return slabs;
}
