/**
 * RAPL zone naming in /sys/class/powercap: a zone's name file reads "package-0", "core",
 * "dram", "psys"... A "<name>-<n>" name carries its own index; other names are numbered by
 * how often they were seen before, in directory order.
 */
export function raplZoneIndexAndName(seen: Map<string, number>, raw: string): { index: number; name: string } {
  const name = raw.trim();
  const parts = name.split('-');
  let result: { index: number; name: string };
  if (parts.length === 2 && /^[+-]?\d+$/.test(parts[1] ?? '')) result = { index: Number(parts[1]), name: parts[0] ?? '' };
  else result = { index: seen.get(name) ?? 0, name };
  seen.set(result.name, result.index + 1);
  return result;
}
