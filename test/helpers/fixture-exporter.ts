import { fixturePath, fixturesDir } from './repo.js';

/** Every collector that reads only our fixtures, and the flags that point it there. */
const COLLECTORS = `arp bcache bcachefs bonding btrfs buddyinfo cgroups conntrack cpu cpu_vulnerabilities cpufreq
  diskstats dmi dmmultipath drbd drm edac entropy fibrechannel filefd hwmon infiniband interrupts ipvs kernel_hung
  ksmd lnstat loadavg mdadm meminfo meminfo_numa netclass netdev netstat nfs nfsd nvme nvmesubsystem os pcidevice
  powersupplyclass pressure processes qdisc rapl runit schedstat selinux slabinfo sockstat softirqs softnet stat swap
  sysctl tapestats textfile thermal_zone udp_queues vmstat watchdog wifi xfrm xfs zfs zoneinfo`.split(/\s+/);

export const FIXTURE_COLLECTOR_ARGS = [
  `--path.procfs=${fixturePath('proc')}`,
  `--path.sysfs=${fixturePath('sys')}`,
  `--path.rootfs=${fixturesDir}`,
  `--path.udev.data=${fixturePath('run', 'udev', 'data')}`,
  '--collector.disable-defaults',
  ...COLLECTORS.map((c) => `--collector.${c}`),
  '--no-collector.arp.netlink',
  '--no-collector.netdev.netlink',
  `--collector.qdisc.fixtures=${fixturePath('netlink', 'qdisc')}`,
  `--collector.wifi.fixtures=${fixturePath('netlink', 'wifi')}`,
  `--collector.textfile.directory=${fixturePath('textfile', 'good')}`,
  `--collector.runit.servicedir=${fixturePath('runit', 'service')}`,
  '--collector.cpu.info',
  '--collector.stat.softirq',
  '--collector.sysctl.include=fs.file-nr',
  '--collector.sysctl.include=kernel.threads-max',
];
