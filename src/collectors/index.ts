import type { CollectorDefinition } from '../collector.js';
import { arp } from './arp.js';
import { bcache } from './bcache.js';
import { bcachefs } from './bcachefs.js';
import { bonding } from './bonding.js';
import { buddyinfo } from './buddyinfo.js';
import { btrfs } from './btrfs.js';
import { cgroups } from './cgroups.js';
import { conntrack } from './conntrack.js';
import { cpuVulnerabilities } from './cpu-vulnerabilities.js';
import { cpu } from './cpu.js';
import { cpufreq } from './cpufreq.js';
import { diskstats } from './diskstats.js';
import { dmi } from './dmi.js';
import { dmmultipath } from './dmmultipath.js';
import { drbd } from './drbd.js';
import { drm } from './drm.js';
import { edac } from './edac.js';
import { entropy } from './entropy.js';
import { ethtool } from './ethtool.js';
import { fibrechannel } from './fibrechannel.js';
import { filefd } from './filefd.js';
import { filesystemDefinition } from './filesystem.js';
import { hwmon } from './hwmon.js';
import { infiniband } from './infiniband.js';
import { interrupts } from './interrupts.js';
import { ipvs } from './ipvs.js';
import { kernelHung } from './kernel-hung.js';
import { ksmd } from './ksmd.js';
import { lnstat } from './lnstat.js';
import { loadavg } from './loadavg.js';
import { logind } from './logind.js';
import { mdadm } from './mdadm.js';
import { meminfoNuma } from './meminfo-numa.js';
import { meminfo } from './meminfo.js';
import { mountstats } from './mountstats.js';
import { netclass } from './netclass.js';
import { netdev } from './netdev.js';
import { networkRoute } from './network-route.js';
import { netstat } from './netstat.js';
import { nfs } from './nfs.js';
import { nfsd } from './nfsd.js';
import { ntp } from './ntp.js';
import { nvme } from './nvme.js';
import { nvmesubsystem } from './nvmesubsystem.js';
import { os } from './os.js';
import { pcidevice } from './pcidevice.js';
import { perf } from './perf.js';
import { powersupplyclass } from './powersupplyclass.js';
import { pressure } from './pressure.js';
import { processes } from './processes.js';
import { qdisc } from './qdisc.js';
import { rapl } from './rapl.js';
import { runit } from './runit.js';
import { schedstat } from './schedstat.js';
import { selinux } from './selinux.js';
import { slabinfo } from './slabinfo.js';
import { sockstat } from './sockstat.js';
import { softirqs } from './softirqs.js';
import { softnet } from './softnet.js';
import { stat } from './stat.js';
import { supervisord } from './supervisord.js';
import { swap } from './swap.js';
import { sysctl } from './sysctl.js';
import { systemd } from './systemd.js';
import { tapestats } from './tapestats.js';
import { tcpstat } from './tcpstat.js';
import { textfile } from './textfile.js';
import { thermalZone } from './thermal-zone.js';
import { time } from './time.js';
import { timexDefinition } from './timex.js';
import { udpQueues } from './udp-queues.js';
import { uname } from './uname.js';
import { vmstat } from './vmstat.js';
import { watchdog } from './watchdog.js';
import { wifi } from './wifi.js';
import { xfrm } from './xfrm.js';
import { xfs } from './xfs.js';
import { zfs } from './zfs.js';
import { zoneinfo } from './zoneinfo.js';

/** Every collector, in one table: the CLI makes its --[no-]collector.<name> flags from it. */
export const collectorDefinitions: readonly CollectorDefinition[] = [
  arp,
  bcache,
  bcachefs,
  bonding,
  buddyinfo,
  btrfs,
  cgroups,
  conntrack,
  cpu,
  cpuVulnerabilities,
  cpufreq,
  diskstats,
  dmi,
  dmmultipath,
  drbd,
  drm,
  edac,
  entropy,
  ethtool,
  fibrechannel,
  filefd,
  filesystemDefinition(),
  hwmon,
  infiniband,
  interrupts,
  ipvs,
  kernelHung,
  ksmd,
  lnstat,
  loadavg,
  logind,
  mdadm,
  meminfo,
  meminfoNuma,
  mountstats,
  netclass,
  netdev,
  networkRoute,
  netstat,
  nfs,
  nfsd,
  ntp,
  nvme,
  nvmesubsystem,
  os,
  pcidevice,
  perf,
  powersupplyclass,
  pressure,
  processes,
  qdisc,
  rapl,
  runit,
  schedstat,
  selinux,
  slabinfo,
  sockstat,
  softirqs,
  softnet,
  stat,
  supervisord,
  swap,
  sysctl,
  systemd,
  tapestats,
  tcpstat,
  textfile,
  thermalZone,
  time,
  timexDefinition(),
  udpQueues,
  uname,
  vmstat,
  watchdog,
  wifi,
  xfrm,
  xfs,
  zfs,
  zoneinfo,
];
