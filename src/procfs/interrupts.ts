import { ParseError, parseUint } from './parse-error.js';

/** One row of /proc/interrupts. */
export interface InterruptRow {
  /** What precedes the colon: an IRQ number ("16") or a name ("NMI", "IPI0"). */
  name: string;
  /**
   * Numbered IRQs: the chip column ("IR-IO-APIC"); named ones: the whole description
   * ("Non-maskable interrupts").
   */
  info: string;
  /** Numbered IRQs: the rest of the row (trigger, hwirq, device names); named ones: "". */
  devices: string;
  /** Count on each CPU, in header order. */
  counts: number[];
}

/**
 * A header naming one column per online CPU, then one row per interrupt source. Whitespace
 * inside the description collapses to single spaces. Rows with fewer columns than CPUs plus a
 * description (x86's "ERR:" and "MIS:" totals) are skipped, as node_exporter skips them. On
 * arm64 a wide count may follow the colon with no space ("IPI0:4294967295"), so the name ends
 * at the first colon, not at whitespace. A repeated name keeps its last row.
 */
export function parseInterrupts(text: string): InterruptRow[] {
  const lines = text.split('\n');
  const header = lines[0] ?? '';
  const cpus = header.split(/\s+/).filter((f) => f !== '').length;
  if (cpus === 0) throw new ParseError('interrupts has no CPU header', header, 1);
  const rows = new Map<string, InterruptRow>();
  lines.forEach((line, i) => {
    if (i === 0) return;
    const lineNumber = i + 1;
    const colon = line.indexOf(':');
    if (colon < 0) return;
    const parts = line
      .slice(colon + 1)
      .split(/\s+/)
      .filter((f) => f !== '');
    if (parts.length < cpus + 1) return;
    const name = line.slice(0, colon).replace(/^ +/, '');
    const counts = parts.slice(0, cpus).map((c, cpu) => parseUint(c, `count of ${name} on CPU ${cpu}`, line, lineNumber));
    const numbered = /^[+-]?\d+$/.test(name);
    rows.set(name, {
      name,
      info: numbered ? (parts[cpus] ?? '') : parts.slice(cpus).join(' '),
      devices: numbered ? parts.slice(cpus + 1).join(' ') : '',
      counts,
    });
  });
  return [...rows.values()];
}
