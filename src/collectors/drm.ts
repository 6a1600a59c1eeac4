import { readdir, realpath } from '../procfs/dir.js';
import path from 'node:path';
import { family, type CollectorDefinition, type MetricFamily, type Sample } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { hasErrno, ifMissing, readProcFile, readProcFiles } from '../procfs/read.js';
import { AMDGPU_NUMBERS, AMDGPU_STRINGS, isAmdgpu, parseAmdgpuCard, type AmdgpuCard, type AmdgpuFile } from '../sysfs/drm.js';

const FILES: readonly AmdgpuFile[] = [...AMDGPU_NUMBERS, ...AMDGPU_STRINGS];

/** [attribute, metric suffix, help] */
const NUMERIC: readonly (readonly [(typeof AMDGPU_NUMBERS)[number], string, string])[] = [
  ['gpu_busy_percent', 'gpu_busy_percent', 'GPU utilisation, in percent.'],
  ['mem_info_gtt_total', 'memory_gtt_size_bytes', 'Size of the graphics translation table (GTT) memory, in bytes.'],
  ['mem_info_gtt_used', 'memory_gtt_used_bytes', 'Used graphics translation table (GTT) memory, in bytes.'],
  ['mem_info_vis_vram_total', 'memory_vis_vram_size_bytes', 'Size of the CPU-visible VRAM, in bytes.'],
  ['mem_info_vis_vram_used', 'memory_vis_vram_used_bytes', 'Used CPU-visible VRAM, in bytes.'],
  ['mem_info_vram_total', 'memory_vram_size_bytes', 'Size of the VRAM, in bytes.'],
  ['mem_info_vram_used', 'memory_vram_used_bytes', 'Used VRAM, in bytes.'],
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
      async collect(): Promise<MetricFamily[]> {
        // card0..card9 only: upstream globs card[0-9], connectors (card0-DP-1) and card10+ are not read.
        const cards = (await readdir(base).catch(ifMissing<string[]>([]))).filter((n) => /^card[0-9]$/.test(n)).sort();
        const stats = await Promise.all(cards.map(async (c) => [c, await readCard(path.join(base, c))] as const));
        const info: Sample[] = [];
        const numeric = NUMERIC.map(() => [] as Sample[]);
        for (const [card, s] of stats) {
          if (s === undefined) continue;
          info.push({
            labels: { card, memory_vendor: s.strings.mem_info_vram_vendor, power_performance_level: s.strings.power_dpm_force_performance_level, unique_id: s.strings.unique_id, vendor: 'amd' },
            value: 1,
          });
          NUMERIC.forEach(([attr], i) => numeric[i]?.push({ labels: { card }, value: s.numbers[attr] }));
        }
        return [
          family('node_drm_card_info', 'GPU card identity (memory vendor, performance level, unique id, vendor); value is always 1.', 'gauge', info),
          ...NUMERIC.map(([, suffix, help], i) => family(`node_drm_${suffix}`, help, 'gauge', numeric[i])),
        ];
      },
    };
  },
};
