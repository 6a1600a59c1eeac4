import { readdir, realpath } from '../read/dir.js';
import path from 'node:path';
import { type CollectorDefinition, type Desc, newDesc } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { ifMissing, readProcFile, readProcFiles } from '../read/files.js';
import { AMDGPU_NUMBERS, AMDGPU_STRINGS, isAmdgpu, parseAmdgpuCard, type AmdgpuCard, type AmdgpuFile } from '../sysfs/drm.js';
import { hasErrno } from '../errno.js';

const FILES: readonly AmdgpuFile[] = [...AMDGPU_NUMBERS, ...AMDGPU_STRINGS];

const cardInfo = newDesc('node_drm_card_info', 'GPU card identity (memory vendor, performance level, unique id, vendor); value is always 1.', 'gauge', [
  'card',
  'memory_vendor',
  'power_performance_level',
  'unique_id',
  'vendor',
]);
const perCard = (suffix: string, help: string): Desc => newDesc(`node_drm_${suffix}`, help, 'gauge', ['card']);
/** [attribute, its family] */
const NUMERIC: readonly (readonly [(typeof AMDGPU_NUMBERS)[number], Desc])[] = [
  ['gpu_busy_percent', perCard('gpu_busy_percent', 'GPU utilisation, in percent.')],
  ['mem_info_gtt_total', perCard('memory_gtt_size_bytes', 'Size of the graphics translation table (GTT) memory, in bytes.')],
  ['mem_info_gtt_used', perCard('memory_gtt_used_bytes', 'Used graphics translation table (GTT) memory, in bytes.')],
  ['mem_info_vis_vram_total', perCard('memory_vis_vram_size_bytes', 'Size of the CPU-visible VRAM, in bytes.')],
  ['mem_info_vis_vram_used', perCard('memory_vis_vram_used_bytes', 'Used CPU-visible VRAM, in bytes.')],
  ['mem_info_vram_total', perCard('memory_vram_size_bytes', 'Size of the VRAM, in bytes.')],
  ['mem_info_vram_used', perCard('memory_vram_used_bytes', 'Used VRAM, in bytes.')],
];

/** An amdgpu card, or undefined for other drivers and for cards whose uevent has no data. */
async function readCard(dir: string): Promise<AmdgpuCard | undefined> {
  let uevent: string;
  try {
    uevent = await readProcFile(path.join(dir, 'device', 'uevent'));
  } catch (err) {
    if (hasErrno(err, 'ENODATA')) return undefined;
    throw err;
  }
  if (!isAmdgpu(uevent)) return undefined;
  await realpath(path.join(dir, 'device')); // a card without a resolvable device link fails, as upstream
  const texts = await readProcFiles(FILES.map((f) => path.join(dir, 'device', f)));
  const files = new Map<AmdgpuFile, string>();
  FILES.forEach((f, i) => {
    const t = texts[i];
    if (typeof t === 'string') files.set(f, t);
  });
  try {
    return parseAmdgpuCard(files);
  } catch (err) {
    throw err instanceof ParseError ? err.withFile(path.join(dir, 'device')) : err;
  }
}

export const drm: CollectorDefinition = {
  name: 'drm',
  defaultEnabled: false,
  create({ paths }) {
    const base = paths.sysFilePath('class/drm');
    return {
      async collect(_ctx, out) {
        // card0..card9 only: upstream globs card[0-9], connectors (card0-DP-1) and card10+ are not read.
        const cards = (await readdir(base).catch(ifMissing<string[]>([]))).filter((n) => /^card[0-9]$/.test(n)).sort();
        const stats = await Promise.all(cards.map(async (c) => [c, await readCard(path.join(base, c))] as const));
        for (const [card, s] of stats) {
          if (s === undefined) continue;
          out.addv(cardInfo, 1, [card, s.strings.mem_info_vram_vendor, s.strings.power_dpm_force_performance_level, s.strings.unique_id, 'amd']);
          for (const [attr, desc] of NUMERIC) out.add(desc, s.numbers[attr], card);
        }
      },
    };
  },
};
