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

/** Reads, parses and stats each file; a file's problem stays with that file. */
async function readTextfiles(files: readonly string[]): Promise<(TextfileResult & { mtime?: number })[]> {
  // Textfile directories may be on NFS: reads get their own addon thread (mayHang).
  const texts = await readProcFiles(files, TEXTFILE_LIMIT, true);
  return Promise.all(
    files.map(async (file, i): Promise<TextfileResult & { mtime?: number }> => {
      const text = texts[i];
      if (text === undefined || text instanceof Error) return { file, error: text ?? new Error(`${file}: not read`) };
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
      if (typeof value === 'number') out.add(desc, value, ...labelValues);
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
