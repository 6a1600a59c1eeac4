import { newDesc, NoDataError, type CollectorDefinition } from '../collector.js';
import { parseUdpSummary, type UdpSummary } from '../procfs/net-udp.js';
import { parseFileText, readProcFile } from '../read/files.js';
import { hasErrno } from '../errno.js';

const queues = newDesc('node_udp_queues', 'Bytes queued in the kernel on UDP sockets, by queue and IP version.', 'gauge', ['queue', 'ip']);

/**
 * /proc/net/udp has one ~128-byte line per socket, so a busy DNS or QUIC host goes well past
 * the usual 1 MiB read cap; 64 MiB is about half a million sockets.
 */
const UDP_READ_LIMIT = 64 * 1024 * 1024;

async function readSummary(file: string): Promise<UdpSummary | undefined> {
  let text: string;
  try {
    text = await readProcFile(file, UDP_READ_LIMIT);
  } catch (err) {
    if (hasErrno(err, 'ENOENT')) return undefined; // that IP version is off
    throw err;
  }
  return parseFileText(file, text, parseUdpSummary);
}

export const udpQueues: CollectorDefinition = {
  name: 'udp_queues',
  defaultEnabled: true,
  create({ paths }) {
    const files = [
      ['v4', paths.procFilePath('net/udp')],
      ['v6', paths.procFilePath('net/udp6')],
    ] as const;
    return {
      async collect(_ctx, out) {
        const summaries = await Promise.all(files.map(([, file]) => readSummary(file)));
        if (summaries.every((s) => s === undefined)) throw new NoDataError('neither /proc/net/udp nor udp6 exists');
        files.forEach(([ip], i) => {
          const s = summaries[i];
          if (s === undefined) return;
          out.add(queues, s.txQueue, 'tx', ip);
          out.add(queues, s.rxQueue, 'rx', ip);
        });
      },
    };
  },
};
