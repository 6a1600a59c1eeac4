import { readdir } from '../read/dir.js';
import path from 'node:path';
import { type CollectorDefinition, newDesc, type Sink } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { ifMissing, readProcFiles } from '../read/files.js';
import { parseUintValue } from '../procfs/value-file.js';

/** Directory entries matching `re` (the glob upstream uses), sorted; none when the directory is absent. */
const glob = async (dir: string, re: RegExp): Promise<string[]> => (await readdir(dir).catch(ifMissing<string[]>([]))).filter((n) => re.test(n)).sort();
const leadingDigits = (s: string): string => /^\d*/.exec(s)?.[0] ?? '';

/** "DIMM#0 csrow0 channel0" style labels with upstream's clean-up: '#' dropped, words split by '_'. */
export function cleanDimmLabel(text: string): string {
  return text.trim().replaceAll('#', '').replaceAll('csrow', '_csrow').replaceAll('channel', '_channel');
}

const CSROW = ['controller', 'csrow'];
const CHANNEL = ['controller', 'csrow', 'channel', 'dimm_label'];
const ce = newDesc('node_edac_correctable_errors_total', 'Correctable memory errors of the memory controller.', 'counter', ['controller']);
const ue = newDesc('node_edac_uncorrectable_errors_total', 'Uncorrectable memory errors of the memory controller.', 'counter', ['controller']);
const csrowCe = newDesc('node_edac_csrow_correctable_errors_total', 'Correctable memory errors of the chip-select row ("unknown": not attributable to one).', 'counter', CSROW);
const csrowUe = newDesc('node_edac_csrow_uncorrectable_errors_total', 'Uncorrectable memory errors of the chip-select row ("unknown": not attributable to one).', 'counter', CSROW);
const channelCe = newDesc('node_edac_channel_correctable_errors_total', 'Correctable memory errors of the channel.', 'counter', CHANNEL);
const channelUe = newDesc('node_edac_channel_uncorrectable_errors_total', 'Uncorrectable memory errors of the channel.', 'counter', CHANNEL);

/** Reads files in one batch; `required` ones must exist and parse, the others may be absent. */
async function readValues(files: readonly string[], required: (f: string) => boolean): Promise<Map<string, number>> {
  const texts = await readProcFiles(files);
  const out = new Map<string, number>();
  files.forEach((f, i) => {
    const t = texts[i];
    if (t instanceof Error || t === undefined) {
      if (required(f)) throw t ?? new Error(`read ${f}: no result`);
      return;
    }
    try {
      out.set(f, parseUintValue(t));
    } catch (err) {
      if (required(f)) throw err instanceof ParseError ? err.withFile(f) : err;
    }
  });
  return out;
}

async function collectController(mcDir: string, mcName: string, out: Sink): Promise<void> {
  const controller = leadingDigits(mcName.slice(2));
  const csrows = await glob(mcDir, /^csrow\d/);
  const channels = await Promise.all(
    csrows.map(async (r) => (await glob(path.join(mcDir, r), /^ch.*_ce_count$/)).map((f) => ({ csrow: r, file: f, channel: /ch(\d+)_ce_count/.exec(f)?.[1] }))),
  );
  const chans = channels.flat().filter((c): c is { csrow: string; file: string; channel: string } => c.channel !== undefined);
  const p = (...parts: string[]) => path.join(mcDir, ...parts);
  const counts = ['ce_count', 'ce_noinfo_count', 'ue_count', 'ue_noinfo_count'].map((f) => p(f));
  const rowCounts = csrows.flatMap((r) => [p(r, 'ce_count'), p(r, 'ue_count')]);
  const chanCe = chans.map((c) => p(c.csrow, c.file));
  const chanUe = chans.map((c) => p(c.csrow, `ch${c.channel}_ue_count`));
  const optionalUe = new Set(chanUe);
  const values = await readValues([...counts, ...rowCounts, ...chanCe, ...chanUe], (f) => !optionalUe.has(f));
  const labelFiles = chans.map((c) => p(c.csrow, `ch${c.channel}_dimm_label`));
  const labels = await readProcFiles(labelFiles);
  const v = (f: string): number => values.get(f) ?? 0;

  out.add(ce, v(p('ce_count')), controller);
  out.add(csrowCe, v(p('ce_noinfo_count')), controller, 'unknown');
  out.add(ue, v(p('ue_count')), controller);
  out.add(csrowUe, v(p('ue_noinfo_count')), controller, 'unknown');
  for (const r of csrows) {
    const csrow = leadingDigits(r.slice(5));
    out.add(csrowCe, v(p(r, 'ce_count')), controller, csrow);
    out.add(csrowUe, v(p(r, 'ue_count')), controller, csrow);
  }
  chans.forEach((c, i) => {
    const label = labels[i];
    const l = [controller, leadingDigits(c.csrow.slice(5)), c.channel, typeof label === 'string' ? cleanDimmLabel(label) : 'unknown'];
    out.addv(channelCe, v(p(c.csrow, c.file)), l);
    // A channel without a ue_count file has no uncorrectable series (upstream logs it at debug).
    const uncorrectable = values.get(p(c.csrow, `ch${c.channel}_ue_count`));
    if (uncorrectable !== undefined) out.addv(channelUe, uncorrectable, l);
  });
}

export const edac: CollectorDefinition = {
  name: 'edac',
  defaultEnabled: true,
  create({ paths }) {
    const base = paths.sysFilePath('devices/system/edac/mc');
    return {
      async collect(_ctx, out) {
        const controllers = await glob(base, /^mc\d/);
        for (const mc of controllers) await collectController(path.join(base, mc), mc, out);
      },
    };
  },
};
