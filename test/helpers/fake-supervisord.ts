/**
 * A stand-in for supervisord's XML-RPC endpoint on 127.0.0.1 or a unix socket: it records each
 * request and answers with whatever the test's handler returns. Stopped when the test ends.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface FakeRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeAnswer {
  status?: number;
  body: string;
  /** Wait this long before answering (a hung server). */
  delayMs?: number;
}

export interface FakeServer {
  /** http://127.0.0.1:<port>/RPC2, or unix://<socket path> */
  url: string;
  requests: FakeRequest[];
}

export async function startFakeSupervisord(t: TestContext, handler: (req: FakeRequest) => FakeAnswer, socketPath?: string): Promise<FakeServer> {
  const requests: FakeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: FakeRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(r);
      const answer = handler(r);
      const send = (): void => {
        res.writeHead(answer.status ?? 200, { 'Content-Type': 'text/xml' });
        res.end(answer.body);
      };
      if (answer.delayMs === undefined) send();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    if (socketPath === undefined) server.listen(0, '127.0.0.1', resolve);
    else server.listen(socketPath, resolve);
  });
  t.after(() => {
    for (const timer of timers) clearTimeout(timer);
    server.closeAllConnections();
    server.close();
  });
  const url = socketPath === undefined ? `http://127.0.0.1:${(server.address() as AddressInfo).port}/RPC2` : `unix://${socketPath}`;
  return { url, requests };
}

/** One process as supervisord's getProcessInfo describes it (the members it always sends). */
export interface SupervisordProcess {
  name: string;
  group: string;
  state: number;
  statename: string;
  start: number;
  stop: number;
  now: number;
  exitstatus: number;
  pid: number;
  description: string;
  spawnerr: string;
  logfile: string;
  stdout_logfile: string;
  stderr_logfile: string;
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A getAllProcessInfo answer laid out as Python's xmlrpc.client writes it (supervisord's own). */
export function processInfoResponse(processes: readonly SupervisordProcess[]): string {
  const member = (k: string, v: string | number): string =>
    `<member>\n<name>${k}</name>\n<value>${typeof v === 'number' ? `<int>${v}</int>` : `<string>${escapeXml(v)}</string>`}</value>\n</member>\n`;
  const structs = processes.map(
    (p) =>
      `<value><struct>\n${Object.entries(p)
        .map(([k, v]) => member(k, v as string | number))
        .join('')}</struct></value>\n`,
  );
  return `<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n${structs.join('')}</data></array></value>\n</param>\n</params>\n</methodResponse>\n`;
}

export function faultResponse(code: number, message: string): string {
  return `<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>${code}</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>${escapeXml(message)}</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n`;
}

const NOW = 1_732_460_000;
function proc(p: Partial<SupervisordProcess> & Pick<SupervisordProcess, 'name' | 'group' | 'state' | 'statename'>): SupervisordProcess {
  return {
    description: '',
    start: 0,
    stop: 0,
    now: NOW,
    exitstatus: 0,
    pid: 0,
    spawnerr: '',
    logfile: `/var/log/supervisor/${p.name}.log`,
    stdout_logfile: `/var/log/supervisor/${p.name}.log`,
    stderr_logfile: '',
    ...p,
  };
}

/** A host's worth of programs in every supervisord state. */
export const SAMPLE_PROCESSES: readonly SupervisordProcess[] = [
  proc({ name: 'nginx', group: 'web', state: 20, statename: 'RUNNING', start: 1_732_450_000, pid: 812, description: 'pid 812, uptime 2:46:40' }),
  proc({ name: 'php-fpm', group: 'web', state: 10, statename: 'STARTING', start: 1_732_459_998, pid: 4_194_300 }),
  proc({ name: 'queue_00', group: 'worker', state: 20, statename: 'RUNNING', start: 1_732_401_234, pid: 1500 }),
  proc({ name: 'queue_01', group: 'worker', state: 40, statename: 'STOPPING', start: 1_732_401_235, pid: 1501 }),
  proc({ name: 'cron', group: 'cron', state: 0, statename: 'STOPPED', description: 'Not started' }),
  proc({ name: 'backup', group: 'backup', state: 100, statename: 'EXITED', start: 1_732_400_000, stop: 1_732_403_600, exitstatus: 2 }),
  proc({ name: 'flaky', group: 'flaky', state: 30, statename: 'BACKOFF', start: 1_732_459_990, spawnerr: "can't find command '/opt/flaky'" }),
  proc({ name: 'broken', group: 'broken', state: 200, statename: 'FATAL', exitstatus: 127, spawnerr: 'Exited too quickly (process log may have details)' }),
  proc({ name: 'odd "name" & <tag>', group: 'odd', state: 1000, statename: 'UNKNOWN' }),
];
