import v8 from 'node:v8';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DescTable, listOption, newDesc, type CollectorDefinition, type OptionValues, type Sink } from '../collector.js';
import type { Logger } from '../logger.js';
import { ParseError } from '../procfs/parse-error.js';
import { readProcFiles } from '../read/files.js';
import { glob } from '../textfile/glob.js';
import { mergeTextfiles, type ServedFamily, type TextfileResult } from '../textfile/merge.js';
import { parseTextFormat } from '../textfile/parse.js';

const mtimeDesc = newDesc('node_textfile_mtime_seconds', 'Modification time of each textfile read successfully, in seconds since the epoch.', 'gauge', ['file']);
const scrapeErrorDesc = newDesc('node_textfile_scrape_error', '1 if a textfile or its directory could not be read or parsed, else 0.', 'gauge');

const FLAG = 'collector.textfile.directory';
/** Textfiles are written by people's scripts, not the kernel: allow far more than /proc's cap. */
const TEXTFILE_LIMIT = 64 * 1024 * 1024;

function directories(options: OptionValues): string[] {
  const dirs = listOption(options, FLAG);
  return dirs.length > 0 ? dirs : [''];
}

/** Each flag value as a glob; one that is malformed or matches nothing is taken as a directory. */
async function expand(patterns: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) {
    // "" (the default) names no directory: nothing to look up, every scrape.
    if (p === '') continue;
    const matches = await glob(p);
    out.push(...(matches === undefined || matches.length === 0 ? [p] : matches));
  }
  return out;
}

/** The *.prom files of each directory, in name order; an unreadable directory is reported. */
async function listFiles(dirs: readonly string[], logger: Logger): Promise<{ files: string[]; errored: boolean }> {
  let errored = false;
  const files: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = (await readdir(dir)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    } catch (err) {
      // The default, "", means no directory: not an error.
      if (dir !== '') {
        errored = true;
        logger.error('failed to read textfile collector directory', { path: dir, err });
      }
      continue;
    }
    files.push(...names.filter((n) => n.endsWith('.prom')).map((n) => path.join(dir, n)));
  }
  return { files, errored };
}

/**
 * Heap a textfile costs per byte of its text: parsed it takes about 11 times its size (200k
 * series, 17 MiB of text: 190 MiB), and merging, the sink and the encoders add to that.
 */
const HEAP_PER_TEXT_BYTE = 16;

/**
 * Why a text of `length` bytes must not be parsed now, or undefined: V8 aborts the whole
 * process when the heap hits --max-old-space-size, so a textfile too big for what is left of
 * the heap fails that file (and the collector) instead.
 */
function heapShortfall(length: number): string | undefined {
  const h = v8.getHeapStatistics();
  const left = h.heap_size_limit - h.used_heap_size;
  const need = length * HEAP_PER_TEXT_BYTE;
  if (need <= left) return undefined;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(0)} MiB`;
  return `${mib(length)} of text would need about ${mib(need)} of heap, only ${mib(left)} left under the heap limit of ${mib(h.heap_size_limit)} (--max-old-space-size)`;
}

/** Reads, parses and stats each file; a file's problem stays with that file. */
async function readTextfiles(files: readonly string[]): Promise<(TextfileResult & { mtime?: number })[]> {
  // Textfile directories may be on NFS: reads get their own addon thread (mayHang).
  const texts = await readProcFiles(files, TEXTFILE_LIMIT, true);
  return Promise.all(
    files.map(async (file, i): Promise<TextfileResult & { mtime?: number }> => {
      const text = texts[i];
      if (text === undefined || text instanceof Error) return { file, error: text ?? new Error(`${file}: not read`) };
      const short = heapShortfall(text.length);
      if (short !== undefined) return { file, error: new Error(`${file}: ${short}; not parsed`) };
      let families;
      try {
        families = parseTextFormat(text);
      } catch (err) {
        return { file, error: err instanceof ParseError ? err.withFile(file) : (err as Error) };
      }
      if (families.some((f) => f.metrics.some((m) => m.timestampMs !== undefined))) {
        return { file, error: new Error(`${file} contains client-side timestamps, which are not supported; skipping the whole file`) };
      }
      // Stat only once the file parsed, so a broken file never looks fresh.
      try {
        const st = await stat(file, { bigint: true });
        return { file, families, mtime: Number(st.mtimeNs / 1_000_000_000n) };
      } catch (err) {
        return { file, families, error: err as Error };
      }
    }),
  );
}

/** The files' families, through Descs named by what the files hold. */
function addServed(out: Sink, families: readonly ServedFamily[], descs: DescTable): void {
  for (const f of families) {
    const desc = descs.get(f.name, f.help, f.type, f.labelNames);
    for (const { labelValues, value } of f.series) {
      if (typeof value === 'number') out.addv(desc, value, labelValues);
      else if ('quantiles' in value) out.addSummary(desc, value, ...labelValues);
      else out.addHistogram(desc, value, ...labelValues);
    }
  }
}

export const textfile: CollectorDefinition = {
  name: 'textfile',
  defaultEnabled: true,
  options: [{ flag: FLAG, help: 'Directory (or glob of directories) whose *.prom files in the text format are exported; repeatable.', defaultValue: '', repeatable: true }],
  create({ options, logger }) {
    const patterns = directories(options);
    const descs = new DescTable();
    return {
      async collect(_ctx, out) {
        const listed = await listFiles(await expand(patterns), logger);
        const results = await readTextfiles(listed.files);
        const merged = mergeTextfiles(results);
        let errored = listed.errored;
        for (const p of merged.problems) {
          errored ||= p.scrapeError;
          logger.error(p.message, { file: p.file, metric: p.metric });
        }
        descs.nextRound();
        addServed(out, merged.families, descs);
        for (const r of results) if (r.error === undefined && r.mtime !== undefined) out.add(mtimeDesc, r.mtime, r.file);
        out.add(scrapeErrorDesc, errored ? 1 : 0);
      },
    };
  },
};
