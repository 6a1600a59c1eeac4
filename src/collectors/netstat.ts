import { newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { cachedMatcher, compileRegexp } from '../config.js';
import { parseNetstatPairs, parseSnmp6, type NetstatCounters, type ProtocolCounters } from '../procfs/net-netstat.js';
import { ifMissing, readAndParse } from '../read/files.js';

const FIELDS_FLAG = 'collector.netstat.fields';
/** node_exporter's default selection of "<Protocol>_<Counter>" keys. */
const DEFAULT_FIELDS =
  '^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$';

export const netstat: CollectorDefinition = {
  name: 'netstat',
  defaultEnabled: true,
  options: [{ flag: FIELDS_FLAG, help: 'Regexp of the "<Protocol>_<Counter>" keys to report.', defaultValue: DEFAULT_FIELDS }],
  create({ paths, options }) {
    const value = options.get(FIELDS_FLAG);
    const wanted = cachedMatcher(compileRegexp(typeof value === 'string' ? value : DEFAULT_FIELDS, FIELDS_FLAG));
    // One family per kernel field, names known only at run time: decided once per protocol and
    // names array (its Desc, or null when the flag's regexp leaves it out; the parsers keep a
    // protocol's names array while the kernel prints the same names), so a scrape builds no
    // "<Protocol>_<Counter>" strings and looks up no names for the ~300 fields the kernel prints.
    const decided = new Map<string, { byName: Map<string, Desc | null>; names?: readonly string[]; descs?: (Desc | null)[] }>();
    const descsFor = (protocol: string, names: readonly string[]): (Desc | null)[] => {
      let d = decided.get(protocol);
      if (d === undefined) decided.set(protocol, (d = { byName: new Map() }));
      if (d.names === names && d.descs !== undefined) return d.descs;
      const byName = d.byName;
      const descs = names.map((name) => {
        let desc = byName.get(name);
        if (desc === undefined) {
          const key = `${protocol}_${name}`;
          desc = wanted(key) ? newDesc(`node_netstat_${key}`, `Network statistic ${protocol} ${name}, from /proc/net.`, 'untyped') : null;
          byName.set(name, desc);
        }
        return desc;
      });
      d.names = names;
      d.descs = descs;
      return descs;
    };
    return {
      async collect(_ctx, out) {
        const [netstatFile, snmp, snmp6] = await Promise.all([
          readAndParse(paths.procFilePath('net/netstat'), parseNetstatPairs),
          readAndParse(paths.procFilePath('net/snmp'), parseNetstatPairs),
          // No snmp6 on a kernel with IPv6 disabled.
          readAndParse(paths.procFilePath('net/snmp6'), parseSnmp6).catch(ifMissing<NetstatCounters>(new Map())),
        ]);
        const files = [netstatFile, snmp, snmp6];
        for (let f = 0; f < files.length; f++) {
          for (const [protocol, counters] of files[f] as NetstatCounters) {
            // A protocol in a later file replaces the same protocol from an earlier one, as upstream merges.
            let replaced = false;
            for (let l = f + 1; l < files.length; l++) replaced ||= files[l]?.has(protocol) === true;
            if (!replaced) emit(protocol, counters);
          }
        }
        function emit(protocol: string, counters: ProtocolCounters): void {
          const descs = descsFor(protocol, counters.names);
          for (let j = 0; j < descs.length; j++) {
            const desc = descs[j];
            if (desc !== null && desc !== undefined) out.add(desc, counters.values[j] ?? 0);
          }
        }
      },
    };
  },
};
