import type { CollectorDefinition } from '../collector.js';
import { arp } from './arp.js';
import { buddyinfo } from './buddyinfo.js';
import { cgroups } from './cgroups.js';
import { conntrack } from './conntrack.js';
import { cpuVulnerabilities } from './cpu-vulnerabilities.js';
import { cpu } from './cpu.js';
import { cpufreq } from './cpufreq.js';
import { diskstats } from './diskstats.js';
import { dmi } from './dmi.js';
import { entropy } from './entropy.js';
import { filefd } from './filefd.js';
import { filesystemDefinition } from './filesystem.js';
import { interrupts } from './interrupts.js';
import { kernelHung } from './kernel-hung.js';
import { ksmd } from './ksmd.js';
import { lnstat } from './lnstat.js';
import { loadavg } from './loadavg.js';
import { meminfoNuma } from './meminfo-numa.js';
import { meminfo } from './meminfo.js';
import { netclass } from './netclass.js';
import { netdev } from './netdev.js';
import { netstat } from './netstat.js';
import { os } from './os.js';
import { pressure } from './pressure.js';
import { processes } from './processes.js';
import { schedstat } from './schedstat.js';
import { selinux } from './selinux.js';
import { slabinfo } from './slabinfo.js';
import { sockstat } from './sockstat.js';
import { softirqs } from './softirqs.js';
import { softnet } from './softnet.js';
import { stat } from './stat.js';
import { sysctl } from './sysctl.js';
import { textfile } from './textfile.js';
import { time } from './time.js';
import { timexDefinition } from './timex.js';
import { udpQueues } from './udp-queues.js';
import { uname } from './uname.js';
import { vmstat } from './vmstat.js';
import { xfrm } from './xfrm.js';
import { zoneinfo } from './zoneinfo.js';

/** Every collector, in one table: the CLI makes its --[no-]collector.<name> flags from it. */
export const collectorDefinitions: readonly CollectorDefinition[] = [
  arp,
  buddyinfo,
  cgroups,
  conntrack,
  cpu,
  cpuVulnerabilities,
  cpufreq,
  diskstats,
  dmi,
  entropy,
  filefd,
  filesystemDefinition(),
  interrupts,
  kernelHung,
  ksmd,
  lnstat,
  loadavg,
  meminfo,
  meminfoNuma,
  netclass,
  netdev,
  netstat,
  os,
  pressure,
  processes,
  schedstat,
  selinux,
  slabinfo,
  sockstat,
  softirqs,
  softnet,
  stat,
  sysctl,
  textfile,
  time,
  timexDefinition(),
  udpQueues,
  uname,
  vmstat,
  xfrm,
  zoneinfo,
];
