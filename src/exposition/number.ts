/**
 * Numbers as Go's strconv.FormatFloat(v, 'g', -1, 64) spells them, which is what
 * client_golang writes: the shortest digits that read back as the same float64, in exponent
 * form when the decimal exponent is below -4 or at least 6 (with a sign and at least two
 * exponent digits: 1e+06, 2.5276502016e+10, 1e-05).
 */
export function goFloat(v: number): string {
  if (v === 0) return '0'; // -0 too, as Go's writer special-cases zero
  if (v === 1) return '1';
  if (v === -1) return '-1';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const abs = Math.abs(v);
  // JavaScript switches to exponent form outside [1e-7, 1e21); Go's window is [1e-4, 1e6).
  if (abs >= 1e-4 && abs < 1e6) return String(v);
  const e = v.toExponential();
  const at = e.indexOf('e');
  const exp = e.slice(at + 2);
  return exp.length === 1 ? `${e.slice(0, at + 2)}0${exp}` : e;
}

/** OpenMetrics' spelling (client_golang's): Go's, but an integral value keeps a ".0". */
export function openMetricsFloat(v: number): string {
  const s = goFloat(v);
  if (!Number.isFinite(v)) return s;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e /* . */ || c === 0x65 /* e */) return s;
  }
  return `${s}.0`;
}
