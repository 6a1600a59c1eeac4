import { ParseError } from './parse-error.js';

/** The counters of /proc/net/xfrm_stat node_exporter reports, in its order. */
export const XFRM_COUNTERS = [
  'XfrmInError',
  'XfrmInBufferError',
  'XfrmInHdrError',
  'XfrmInNoStates',
  'XfrmInStateProtoError',
  'XfrmInStateModeError',
  'XfrmInStateSeqError',
  'XfrmInStateExpired',
  'XfrmInStateMismatch',
  'XfrmInStateInvalid',
  'XfrmInTmplMismatch',
  'XfrmInNoPols',
  'XfrmInPolBlock',
  'XfrmInPolError',
  'XfrmOutError',
  'XfrmOutBundleGenError',
  'XfrmOutBundleCheckError',
  'XfrmOutNoStates',
  'XfrmOutStateProtoError',
  'XfrmOutStateModeError',
  'XfrmOutStateSeqError',
  'XfrmOutStateExpired',
  'XfrmOutPolBlock',
  'XfrmOutPolDead',
  'XfrmOutPolError',
  'XfrmFwdHdrError',
  'XfrmOutStateInvalid',
  'XfrmAcquireError',
] as const;

export type XfrmCounter = (typeof XFRM_COUNTERS)[number];

/**
 * /proc/net/xfrm_stat: "XfrmInError   0" per line. Every counter node_exporter knows is
 * reported, 0 when the kernel does not print it (older kernels have fewer); counters it does
 * not know (newer kernels' XfrmInStateDirError, ...) are skipped.
 */
export function parseXfrmStat(text: string): Map<XfrmCounter, number> {
  const out = new Map<XfrmCounter, number>(XFRM_COUNTERS.map((k) => [k, 0]));
  text.split('\n').forEach((line, i) => {
    const lineNumber = i + 1;
    if (line.trim() === '') return;
    const fields = line.trim().split(/\s+/);
    const [name, value] = fields;
    if (fields.length !== 2 || name === undefined || value === undefined) {
      throw new ParseError(`xfrm_stat line has ${fields.length} fields, want 2`, line, lineNumber);
    }
    if (!/^[+-]?\d+$/.test(value)) throw new ParseError(`invalid value ${JSON.stringify(value)} of ${name}`, line, lineNumber);
    if (out.has(name as XfrmCounter)) out.set(name as XfrmCounter, Number(value));
  });
  return out;
}
