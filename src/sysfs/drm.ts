import { ParseError } from '../procfs/parse-error.js';

/** Numeric attributes of an amdgpu card's device directory, in the order the metrics use. */
export const AMDGPU_NUMBERS = [
  'gpu_busy_percent',
  'mem_info_gtt_total',
  'mem_info_gtt_used',
  'mem_info_vis_vram_total',
  'mem_info_vis_vram_used',
  'mem_info_vram_total',
  'mem_info_vram_used',
] as const;
export const AMDGPU_STRINGS = ['mem_info_vram_vendor', 'power_dpm_force_performance_level', 'unique_id'] as const;
export type AmdgpuFile = (typeof AMDGPU_NUMBERS)[number] | (typeof AMDGPU_STRINGS)[number];

export interface AmdgpuCard {
  /** Unreadable attributes read as 0 / '', as procfs leaves them. */
  numbers: Record<(typeof AMDGPU_NUMBERS)[number], number>;
  strings: Record<(typeof AMDGPU_STRINGS)[number], string>;
}

/** Whether a card's device/uevent names the amdgpu driver (only its first 128 bytes are read). */
export function isAmdgpu(uevent: string): boolean {
  return Buffer.from(uevent, 'utf8').subarray(0, 128).toString('utf8').includes('DRIVER=amdgpu');
}

/** An amdgpu card from the texts of its device attributes (absent = unreadable). */
export function parseAmdgpuCard(files: ReadonlyMap<AmdgpuFile, string>): AmdgpuCard {
  const numbers = {} as AmdgpuCard['numbers'];
  for (const f of AMDGPU_NUMBERS) {
    const t = files.get(f)?.trim();
    if (t !== undefined && !/^\d+$/.test(t)) throw new ParseError(`invalid ${f} ${JSON.stringify(t)}`, t, 1);
    numbers[f] = t === undefined ? 0 : Number(t);
  }
  const strings = {} as AmdgpuCard['strings'];
  for (const f of AMDGPU_STRINGS) strings[f] = files.get(f)?.trim() ?? '';
  return { numbers, strings };
}
