import { netlinkDump } from '../native.js';
import { splitMessages } from './message.js';

/** nlmsghdr flag: the table changed while the kernel was dumping it (linux/netlink.h). */
export const NLM_F_DUMP_INTR = 0x10;
/** Tries before giving up: a dump races a change only while the table is being rewritten. */
const ATTEMPTS = 3;

/** Whether any message of a dump carries NLM_F_DUMP_INTR: its entries may be inconsistent. */
export function dumpInterrupted(datagrams: readonly Buffer[]): boolean {
  return datagrams.some((d) => splitMessages(d).some((m) => (m.flags & NLM_F_DUMP_INTR) !== 0));
}

export class DumpInterruptedError extends Error {
  override readonly name = 'DumpInterruptedError';
}

type Dump = (protocol: number, type: number, flags: number, payload: Buffer) => Promise<Buffer[]>;

/**
 * netlinkDump, asked again when the kernel says the table changed under the dump (as iproute2
 * and Go's netlink libraries do); after three interrupted dumps in a row, an error rather than
 * a half-old, half-new table.
 */
export async function consistentDump(protocol: number, type: number, flags: number, payload: Buffer, dump: Dump = netlinkDump): Promise<Buffer[]> {
  for (let i = 1; ; i++) {
    const datagrams = await dump(protocol, type, flags, payload);
    if (!dumpInterrupted(datagrams)) return datagrams;
    if (i >= ATTEMPTS) throw new DumpInterruptedError(`netlink dump of message type ${type} interrupted by concurrent changes ${ATTEMPTS} times in a row`);
  }
}
