/** How /sys/devices/system/cpu/vulnerabilities/<name> rates the CPU, as node_exporter's label spells it. */
export type VulnerabilityState = 'not affected' | 'vulnerable' | 'mitigation' | 'unknown';

export interface Vulnerability {
  state: VulnerabilityState;
  /** What follows the state word ("Mitigation: PTI" → "PTI"); "" when nothing does. */
  mitigation: string;
}

/**
 * The file is one line starting with "Not affected", "Vulnerable", "Mitigation:" or "Unknown:"
 * (any case), optionally followed by details. A line in none of these forms is kept whole as
 * the mitigation with state unknown, so a new kernel wording is reported rather than dropped.
 */
export function parseVulnerability(text: string): Vulnerability {
  const raw = text.trim();
  const lower = raw.toLowerCase();
  if (lower.startsWith('not affected')) return { state: 'not affected', mitigation: '' };
  // Details are re-joined with single spaces, dropping the state word and its colon.
  const rest = raw.split(/\s+/).slice(1).join(' ');
  for (const state of ['vulnerable', 'mitigation', 'unknown'] as const) {
    if (lower.startsWith(state)) return { state, mitigation: rest };
  }
  return { state: 'unknown', mitigation: raw };
}
