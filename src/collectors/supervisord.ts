import { monotonicMs } from '../clock.js';
import { newDesc, type CollectorDefinition } from '../collector.js';
import { callXmlRpc, CALL_TIMEOUT_MS, parseEndpoint } from '../supervisord/client.js';
import type { XmlRpcValue } from '../supervisord/xmlrpc.js';

const LABELS = ['name', 'group'];
const stateDesc = newDesc('node_supervisord_state', 'supervisord state of the process (0 stopped, 10 starting, 20 running, ...).', 'gauge', LABELS);
const exitStatusDesc = newDesc('node_supervisord_exit_status', "Exit status of the process's last run.", 'gauge', LABELS);
const upDesc = newDesc('node_supervisord_up', 'Whether the process is starting, running or stopping (1) or not (0).', 'gauge', LABELS);
const startTimeDesc = newDesc('node_supervisord_start_time_seconds', 'Unix time the running process was started.', 'counter', LABELS);

const FLAG = 'collector.supervisord.url';
const DEFAULT_URL = 'http://localhost:9001/RPC2';
/** Read when the flag is not given, as upstream's flag reads it. */
const ENV = 'SUPERVISORD_URL';

/** One entry of supervisor.getAllProcessInfo, the members upstream reads. */
export interface ProcessInfo {
  name: string;
  group: string;
  state: number;
  stateName: string;
  exitStatus: number;
  start: number;
  pid: number;
}

/** supervisord's STARTING, RUNNING and STOPPING: a process exists (its other states: none does). */
const LIVE_STATES = new Set([10, 20, 40]);

/**
 * The process list out of getAllProcessInfo's answer. A member left out reads as upstream's
 * zero value; one of the wrong type is an error (upstream's type assertion would panic).
 */
export function processInfos(value: XmlRpcValue): ProcessInfo[] {
  if (value.kind !== 'array') throw new Error(`getAllProcessInfo returned ${value.kind}, want an array`);
  return value.items.map((item, i) => {
    if (item.kind !== 'struct') throw new Error(`getAllProcessInfo entry ${i} is ${item.kind}, want a struct`);
    const m = item.members;
    const str = (key: string): string => {
      const v = m.get(key);
      if (v === undefined) return '';
      if (v.kind !== 'string') throw new Error(`getAllProcessInfo entry ${i}: ${key} is ${v.kind}, want string`);
      return v.value;
    };
    const int = (key: string): number => {
      const v = m.get(key);
      if (v === undefined) return 0;
      if (v.kind !== 'int') throw new Error(`getAllProcessInfo entry ${i}: ${key} is ${v.kind}, want int`);
      return v.value;
    };
    return {
      name: str('name'),
      group: str('group'),
      state: int('state'),
      stateName: str('statename'),
      exitStatus: int('exitstatus'),
      start: int('start'),
      pid: int('pid'),
    };
  });
}

export function supervisordDefinition(env: NodeJS.ProcessEnv = process.env): CollectorDefinition {
  return {
    name: 'supervisord',
    defaultEnabled: false,
    options: [
      {
        flag: FLAG,
        help: `supervisord's XML-RPC endpoint: an http(s) URL, or unix:///path/to/socket (env ${ENV} when not given).`,
        defaultValue: DEFAULT_URL,
      },
    ],
    create({ options, explicit, logger }) {
      const fromEnv = env[ENV];
      const flag = options.get(FLAG);
      const raw = !explicit.has(FLAG) && fromEnv !== undefined && fromEnv !== '' ? fromEnv : typeof flag === 'string' ? flag : DEFAULT_URL;
      const endpoint = parseEndpoint(raw);
      logger.warn('the supervisord collector is deprecated upstream: node_exporter drops it in its next major release');
      return {
        async collect({ signal, deadline }, out) {
          const timeoutMs = Math.min(CALL_TIMEOUT_MS, deadline - monotonicMs());
          let infos: ProcessInfo[];
          try {
            infos = processInfos(await callXmlRpc(endpoint, 'supervisor.getAllProcessInfo', [], { signal, timeoutMs }));
          } catch (err) {
            throw new Error(`unable to call supervisord: ${(err as Error).message}`);
          }
          for (const p of infos) {
            const live = LIVE_STATES.has(p.state);
            out.add(stateDesc, p.state, p.name, p.group);
            out.add(exitStatusDesc, p.exitStatus, p.name, p.group);
            out.add(upDesc, live ? 1 : 0, p.name, p.group);
            if (live) out.add(startTimeDesc, p.start, p.name, p.group);
            logger.debug('supervisord process', { group: p.group, name: p.name, state: p.stateName, pid: p.pid });
          }
        },
      };
    },
  };
}

export const supervisord = supervisordDefinition();
