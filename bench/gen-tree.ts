/**
 * Writes the /proc, /sys, /etc and udev database of a large host under a directory, for
 * benchmarking both exporters through --path.procfs/--path.sysfs/--path.rootfs/--path.udev.data.
 *   node dist/bench/gen-tree.js --out DIR [--scale F] [--cpus N] [--ifaces N] [--disks N] [--mounts N]
 * Defaults: 256 CPUs (2 sockets, 64 cores, SMT), 2,000 network interfaces (4 NICs, a bond, bridges,
 * VLANs, veths), 500 disks (SATA HDDs with one partition each, whole-disk NVMe, LVM dm devices),
 * 1,000 mounts (a Kubernetes node's: system, data disks, kubelet volumes, container rootfs);
 * --scale multiplies every count. What scales with the host is generated in the kernel's formats;
 * files whose size does not (vmstat, netstat, snmp, pressure, ...) are copied from this machine;
 * DMI is a made-up server's, since VMs often have none.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface TreeShape {
  cpus: number;
  ifaces: number;
  disks: number;
  mounts: number;
}
export const LARGE_HOST: TreeShape = { cpus: 256, ifaces: 2000, disks: 500, mounts: 1000 };

export function scaledShape(base: TreeShape, factor: number): TreeShape {
  const s = (n: number) => Math.max(1, Math.round(n * factor));
  return { cpus: s(base.cpus), ifaces: s(base.ifaces), disks: s(base.disks), mounts: s(base.mounts) };
}

/** Deterministic numbers, so two runs write the same tree. */
function prng(seed: number): (max: number) => number {
  let a = seed >>> 0;
  return (max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max);
  };
}

class TreeWriter {
  files = 0;
  bytes = 0;
  private readonly dirs = new Set<string>();
  constructor(readonly root: string) {}
  dir(rel: string): string {
    const abs = path.join(this.root, rel);
    if (!this.dirs.has(abs)) {
      mkdirSync(abs, { recursive: true });
      this.dirs.add(abs);
    }
    return abs;
  }
  write(rel: string, text: string): void {
    writeFileSync(path.join(this.dir(path.dirname(rel)), path.basename(rel)), text);
    this.files++;
    this.bytes += text.length;
  }
  /** Copies a file of this machine's (e.g. /proc/vmstat) if it is there and readable. */
  copyHost(hostPath: string, rel: string): void {
    try {
      this.write(rel, readFileSync(hostPath, 'utf8'));
    } catch {
      // absent on this kernel: the tree lacks it as the host does
    }
  }
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
/** A cpulist as the kernel prints it: "0-63,128-191". */
const cpuList = (cpus: number[]) => {
  const out: string[] = [];
  for (let i = 0; i < cpus.length; ) {
    let j = i;
    while (j + 1 < cpus.length && cpus[j + 1] === (cpus[j] ?? 0) + 1) j++;
    out.push(i === j ? `${cpus[i]}` : `${cpus[i]}-${cpus[j]}`);
    i = j + 1;
  }
  return out.join(',');
};
/** A cpumask as the kernel prints it: 32-bit hex groups, most significant first. */
const cpuMask = (cpus: number[], total: number) => {
  const words = new Array<number>(Math.ceil(total / 32)).fill(0);
  for (const c of cpus) words[Math.floor(c / 32)] = ((words[Math.floor(c / 32)] ?? 0) | (1 << (c % 32))) >>> 0;
  return words
    .reverse()
    .map((w) => w.toString(16).padStart(8, '0'))
    .join(',');
};
const hex8 = (n: number) => n.toString(16).padStart(8, '0');

// ---- CPUs: /proc/stat, cpuinfo, interrupts, softirqs, schedstat, softnet_stat, sysfs ----

function writeCpus(w: TreeWriter, n: number, rnd: (max: number) => number): void {
  const sockets = n >= 64 ? 2 : 1;
  const threads = n >= 2 ? 2 : 1;
  const cores = Math.max(1, Math.floor(n / (sockets * threads)));
  // Linux numbers the first thread of every core first, then the siblings.
  const topo = (cpu: number) => {
    const first = cpu % (sockets * cores);
    return { socket: Math.floor(first / cores) % sockets, core: first % cores, sibling: first };
  };
  const all = [...Array(n).keys()];
  const siblingsOf = (cpu: number) => all.filter((c) => topo(c).sibling === topo(cpu).sibling);
  const socketCpus = (s: number) => all.filter((c) => topo(c).socket === s);

  const ticks = all.map(() => [5_000_000 + rnd(9e7), rnd(90_000), 2_000_000 + rnd(3e7), 2e8 + rnd(6e7), rnd(900_000), 0, rnd(600_000), 0, rnd(2_000_000), 0]);
  const sum = ticks.reduce((acc, t) => acc.map((v, i) => v + (t[i] ?? 0)), new Array<number>(10).fill(0));
  const nIrq = 1024 + 8 * n;
  const softirqs = Array.from({ length: 10 }, () => all.map(() => rnd(5e8)));
  w.write(
    'proc/stat',
    `${[
      `cpu  ${sum.join(' ')}`,
      ...ticks.map((t, i) => `cpu${i} ${t.join(' ')}`),
      `intr ${9e9 + rnd(1e9)} ${Array.from({ length: nIrq }, (_, i) => (i < 48 || i % 7 === 0 ? rnd(1e8) : 0)).join(' ')}`,
      `ctxt ${8e11 + rnd(1e11)}`,
      'btime 1767225600',
      `processes ${2e8 + rnd(1e8)}`,
      `procs_running ${1 + rnd(40)}`,
      `procs_blocked ${rnd(3)}`,
      `softirq ${softirqs.flat().reduce((a, b) => a + b, 0)} ${softirqs.map((row) => row.reduce((a, b) => a + b, 0)).join(' ')}`,
    ].join('\n')}\n`,
  );

  const flags =
    'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts rep_good nopl xtopology nonstop_tsc cpuid aperfmperf tsc_known_freq pni pclmulqdq dtes64 monitor ds_cpl vmx smx est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb cat_l3 cat_l2 cdp_l3 intel_ppin cdp_l2 ssbd mba ibrs ibpb stibp ibrs_enhanced tpr_shadow flexpriority ept vpid ept_ad fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid cqm rdt_a avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb intel_pt avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local split_lock_detect avx_vnni avx512_bf16 wbnoinvd dtherm ida arat pln pts hfi vnmi avx512vbmi umip pku ospke waitpkg avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg tme avx512_vpopcntdq la57 rdpid bus_lock_detect cldemote movdiri movdir64b enqcmd fsrm md_clear serialize tsxldtrk pconfig arch_lbr ibt amx_bf16 avx512_fp16 amx_tile amx_int8 flush_l1d arch_capabilities';
  w.write(
    'proc/cpuinfo',
    all
      .map((cpu) => {
        const t = topo(cpu);
        return [
          `processor\t: ${cpu}`,
          'vendor_id\t: GenuineIntel',
          'cpu family\t: 6',
          'model\t\t: 207',
          'model name\t: INTEL(R) XEON(R) PLATINUM 8592+',
          'stepping\t: 2',
          'microcode\t: 0x21000200',
          `cpu MHz\t\t: ${(800 + rnd(3100)).toFixed(3)}`,
          'cache size\t: 327680 KB',
          `physical id\t: ${t.socket}`,
          `siblings\t: ${cores * threads}`,
          `core id\t\t: ${t.core}`,
          `cpu cores\t: ${cores}`,
          `apicid\t\t: ${t.sibling * 2 + (cpu >= sockets * cores ? 1 : 0)}`,
          `initial apicid\t: ${t.sibling * 2 + (cpu >= sockets * cores ? 1 : 0)}`,
          'fpu\t\t: yes',
          'fpu_exception\t: yes',
          'cpuid level\t: 31',
          'wp\t\t: yes',
          `flags\t\t: ${flags}`,
          'vmx flags\t: vnmi preemption_timer posted_intr invvpid ept_x_only ept_ad ept_1gb flexpriority apicv tsc_offset vtpr mtf vapic ept vpid unrestricted_guest vapic_reg vid ple shadow_vmcs pml ept_mode_based_exec tsc_scaling usr_wait_pause notify_vm_exiting ipi_virt',
          'bugs\t\t: spectre_v1 spectre_v2 spec_store_bypass swapgs eibrs_pbrsb bhi',
          'bogomips\t: 3800.00',
          'clflush size\t: 64',
          'cache_alignment\t: 64',
          'address sizes\t: 52 bits physical, 57 bits virtual',
          'power management:',
          '',
          '',
        ].join('\n');
      })
      .join(''),
  );

  const header = (indent: number) => `${' '.repeat(indent) + all.map((c) => `CPU${c}`.padEnd(11)).join('')}\n`;
  const counts = (busy: boolean) => all.map((c) => ` ${pad(busy || c % 17 === 0 ? rnd(1e8) : 0, 10)}`).join('');
  const irqLines: string[] = [];
  const legacy: Array<[number, string]> = [
    [0, '2-edge      timer'],
    [1, '1-edge      i8042'],
    [8, '8-edge      rtc0'],
    [9, '9-fasteoi   acpi'],
    [12, '12-edge      i8042'],
    [16, '16-fasteoi   ehci_hcd:usb1'],
  ];
  for (const [irq, rest] of legacy) irqLines.push(`${pad(irq, 4)}:${counts(false)}  IR-IO-APIC   ${rest}`);
  let irq = 24;
  for (let q = 0; q < 32; q++) irqLines.push(`${pad(irq++, 4)}:${counts(false)}  IR-PCI-MSIX-0000:41:00.0 ${pad(q, 4)}-edge      nvme0q${q}`);
  for (let q = 0; q < n; q++) irqLines.push(`${pad(irq++, 4)}:${counts(true)}  IR-PCI-MSIX-0000:b1:00.0 ${pad(q + 1, 4)}-edge      mlx5_comp${q}@pci:0000:b1:00.0`);
  const arch = [
    'NMI:Non-maskable interrupts',
    'LOC:Local timer interrupts',
    'SPU:Spurious interrupts',
    'PMI:Performance monitoring interrupts',
    'IWI:IRQ work interrupts',
    'RTR:APIC ICR read retries',
    'RES:Rescheduling interrupts',
    'CAL:Function call interrupts',
    'TLB:TLB shootdowns',
    'TRM:Thermal event interrupts',
    'THR:Threshold APIC interrupts',
    'DFR:Deferred Error APIC interrupts',
    'MCE:Machine check exceptions',
    'MCP:Machine check polls',
    'PIN:Posted-interrupt notification event',
    'NPI:Nested posted-interrupt event',
    'PIW:Posted-interrupt wakeup event',
  ];
  for (const a of arch) irqLines.push(`${pad(a.slice(0, 3), 4)}:${counts(true)}   ${a.slice(4)}`);
  w.write('proc/interrupts', `${header(12) + irqLines.join('\n')}\n ERR:          0\n MIS:          0\n`);

  const names = ['HI', 'TIMER', 'NET_TX', 'NET_RX', 'BLOCK', 'IRQ_POLL', 'TASKLET', 'SCHED', 'HRTIMER', 'RCU'];
  w.write('proc/softirqs', `${header(20) + names.map((name, i) => `${pad(name, 12)}:${(softirqs[i] ?? []).map((v) => ` ${pad(v, 10)}`).join('')}`).join('\n')}\n`);

  const domain = (d: number, cpus: number[]) => `domain${d} ${cpuMask(cpus, n)} ${Array.from({ length: 36 }, () => (rnd(4) === 0 ? rnd(1e6) : 0)).join(' ')}`;
  w.write(
    'proc/schedstat',
    `version 15\ntimestamp ${4_300_000_000 + rnd(1e8)}\n` +
      all
        .map((c) =>
          [
            `cpu${c} 0 0 0 0 0 0 ${1e14 + rnd(1e13)} ${1e12 + rnd(1e12)} ${3e9 + rnd(1e9)}`,
            domain(0, siblingsOf(c)),
            domain(1, socketCpus(topo(c).socket)),
            ...(sockets > 1 ? [domain(2, all)] : []),
          ].join('\n'),
        )
        .join('\n') +
      '\n',
  );

  w.write('proc/net/softnet_stat', `${all.map((c) => [rnd(2e9), rnd(50), rnd(5000), 0, 0, 0, 0, 0, 0, rnd(1e6), 0, 0, c, 0, 0].map(hex8).join(' ')).join('\n')}\n`);
  w.write(
    'proc/net/stat/nf_conntrack',
    'entries  clashres found new invalid ignore delete chainlength insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart\n' +
      all
        .map(() => {
          const v = Array.from({ length: 17 }, (_, i) => (i === 0 ? 40_000 : i === 4 || i === 5 ? rnd(1e6) : rnd(8) === 0 ? rnd(100) : 0)).map(hex8);
          return `${v[0]}  ${v.slice(1, 13).join(' ')}  ${v.slice(13).join(' ')}`;
        })
        .join('\n') +
      '\n',
  );

  const sys = 'sys/devices/system/cpu';
  for (const [f, v] of [
    ['online', `0-${n - 1}`],
    ['possible', `0-${n - 1}`],
    ['present', `0-${n - 1}`],
    ['offline', ''],
    ['isolated', ''],
    ['kernel_max', '8191'],
  ])
    w.write(`${sys}/${f}`, `${v}\n`);
  for (const cpu of all) {
    const t = topo(cpu);
    const d = `${sys}/cpu${cpu}`;
    if (cpu !== 0) w.write(`${d}/online`, '1\n'); // cpu0 cannot be taken offline: the kernel has no file for it
    const topology: Array<[string, string]> = [
      ['core_id', `${t.core}`],
      ['physical_package_id', `${t.socket}`],
      ['die_id', '0'],
      ['cluster_id', `${t.core}`],
      ['core_cpus_list', cpuList(siblingsOf(cpu))],
      ['thread_siblings_list', cpuList(siblingsOf(cpu))],
      ['thread_siblings', cpuMask(siblingsOf(cpu), n)],
      ['core_siblings_list', cpuList(socketCpus(t.socket))],
      ['core_siblings', cpuMask(socketCpus(t.socket), n)],
      ['package_cpus_list', cpuList(socketCpus(t.socket))],
      ['die_cpus_list', cpuList(socketCpus(t.socket))],
    ];
    for (const [f, v] of topology) w.write(`${d}/topology/${f}`, `${v}\n`);
    const freq: Array<[string, string]> = [
      ['affected_cpus', `${cpu}`],
      ['related_cpus', `${cpu}`],
      ['cpuinfo_max_freq', '3900000'],
      ['cpuinfo_min_freq', '800000'],
      ['cpuinfo_transition_latency', '0'],
      ['scaling_cur_freq', `${800000 + rnd(3100) * 1000}`],
      ['scaling_max_freq', '3900000'],
      ['scaling_min_freq', '800000'],
      ['scaling_driver', 'intel_pstate'],
      ['scaling_governor', 'performance'],
      ['scaling_available_governors', 'performance powersave'],
      ['energy_performance_preference', 'performance'],
      ['base_frequency', '1900000'],
      ['cpuinfo_cur_freq', `${800000 + rnd(3100) * 1000}`],
      ['scaling_setspeed', '<unsupported>'],
    ];
    for (const [f, v] of freq) w.write(`${d}/cpufreq/${f}`, `${v}\n`);
    for (const f of [
      'core_throttle_count',
      'core_throttle_max_time_ms',
      'core_throttle_total_time_ms',
      'package_throttle_count',
      'package_throttle_max_time_ms',
      'package_throttle_total_time_ms',
    ]) {
      w.write(`${d}/thermal_throttle/${f}`, `${f.endsWith('count') ? rnd(3) : 0}\n`);
    }
  }
  let nodeMeminfo = '';
  try {
    nodeMeminfo = readFileSync('/sys/devices/system/node/node0/meminfo', 'utf8');
  } catch {
    // no NUMA information on this machine: the tree has none either
  }
  for (let s = 0; s < sockets && nodeMeminfo !== ''; s++) {
    const d = `sys/devices/system/node/node${s}`;
    w.write(`${d}/cpulist`, `${cpuList(socketCpus(s))}\n`);
    w.write(`${d}/cpumap`, `${cpuMask(socketCpus(s), n)}\n`);
    w.write(`${d}/meminfo`, nodeMeminfo.replace(/^Node 0 /gm, `Node ${s} `));
    w.write(`${d}/numastat`, `${['numa_hit', 'numa_miss', 'numa_foreign', 'interleave_hit', 'local_node', 'other_node'].map((k) => `${k} ${rnd(1e11)}`).join('\n')}\n`);
  }
}

// ---- Network: /proc/net/dev, /proc/net/arp, /sys/class/net ----

function interfaceNames(n: number): string[] {
  const fixed = ['lo', 'eth0', 'eth1', 'eth2', 'eth3', 'bond0', 'docker0', 'cni0', 'bond0.100', 'bond0.200'];
  const names = fixed.slice(0, n);
  for (let i = names.length; i < n; i++) names.push(`veth${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}`);
  return names;
}

function writeInterfaces(w: TreeWriter, n: number, rnd: (max: number) => number): void {
  const names = interfaceNames(n);
  const lines = names.map((name) => {
    // eth0's receive bytes pass 2^53: a 100G NIC gets there in under a year.
    const rxBytes = name === 'eth0' ? 12_345_678_901_234_567_890n : BigInt(rnd(2 ** 40));
    const rx = [rxBytes, BigInt(rnd(2 ** 32)), BigInt(rnd(10)), BigInt(rnd(1000)), 0n, BigInt(rnd(5)), 0n, BigInt(rnd(1e6))];
    const tx = [BigInt(rnd(2 ** 40)), BigInt(rnd(2 ** 32)), 0n, BigInt(rnd(100)), 0n, 0n, 0n, 0n];
    const widths = [8, 7, 4, 4, 4, 5, 10, 9, 8, 7, 4, 4, 4, 5, 7, 10];
    return `${pad(name, 6)}:${[...rx, ...tx].map((v, k) => pad(v.toString(), widths[k] ?? 0)).join(' ')}`;
  });
  w.write(
    'proc/net/dev',
    'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n' +
      lines.join('\n') +
      '\n',
  );

  const mac = (i: number, local: boolean) => [local ? 0x02 : 0x0c, 0x42, 0xa1, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':');
  const arp = names
    .filter((x) => x.startsWith('veth'))
    .slice(0, Math.ceil(n / 2))
    .map((_, i) => `${`10.244.${(i >> 8) & 0xff}.${(i & 0xff) + 2}`.padEnd(16)} 0x1         0x2         ${mac(i + 100_000, true)}     *        cni0`);
  w.write(
    'proc/net/arp',
    'IP address       HW type     Flags       HW address            Mask     Device\n' +
      ['10.0.0.1         0x1         0x2         0c:42:a1:00:00:01     *        bond0', ...arp].slice(0, Math.max(1, Math.ceil(n / 2))).join('\n') +
      '\n',
  );

  names.forEach((name, i) => {
    const physical = /^eth\d$/.test(name);
    const veth = name.startsWith('veth');
    const attrs: Record<string, string> = {
      addr_assign_type: physical ? '0' : '3',
      addr_len: '6',
      address: name === 'lo' ? '00:00:00:00:00:00' : mac(i, !physical),
      broadcast: name === 'lo' ? '00:00:00:00:00:00' : 'ff:ff:ff:ff:ff:ff',
      carrier: '1',
      carrier_changes: `${2 + rnd(4)}`,
      carrier_up_count: '1',
      carrier_down_count: '1',
      dev_id: '0x0',
      dev_port: '0',
      dormant: '0',
      flags: name === 'lo' ? '0x9' : '0x1103',
      ifalias: '',
      ifindex: `${i + 1}`,
      iflink: veth ? `${3 + rnd(500)}` : `${i + 1}`,
      link_mode: '0',
      mtu: name === 'lo' ? '65536' : veth ? '1450' : '9000',
      netdev_group: '0',
      operstate: name === 'lo' ? 'unknown' : 'up',
      proto_down: '0',
      testing: '0',
      tx_queue_len: name === 'lo' ? '1000' : '1000',
      type: name === 'lo' ? '772' : '1',
      uevent: `INTERFACE=${name}\nIFINDEX=${i + 1}`,
    };
    // Virtual devices answer EINVAL for these; a plain file cannot, so they are left out.
    if (name !== 'lo') attrs.name_assign_type = physical ? '4' : '3';
    if (physical) Object.assign(attrs, { speed: '100000', duplex: 'full', phys_port_name: `p${i - 1}`, phys_switch_id: '4c1e5c0003a9' });
    if (veth) Object.assign(attrs, { speed: '10000', duplex: 'full' });
    for (const [f, v] of Object.entries(attrs)) w.write(`sys/class/net/${name}/${f}`, `${v}\n`);
  });
}

// ---- Disks: /proc/diskstats, /sys/block, udev database ----

interface Disk {
  name: string;
  major: number;
  minor: number;
  kind: 'hdd' | 'nvme' | 'dm';
  parts: Array<{ name: string; minor: number }>;
}

function diskLayout(n: number): Disk[] {
  const dm = Math.min(10, Math.floor(n / 50));
  const hdd = Math.min(256, Math.floor(n * 0.4));
  const sdMajors = [8, 65, 66, 67, 68, 69, 70, 71, 128, 129, 130, 131, 132, 133, 134, 135];
  const sdName = (i: number): string => (i < 26 ? '' : sdName(Math.floor(i / 26) - 1)) + String.fromCharCode(97 + (i % 26));
  const disks: Disk[] = [];
  for (let i = 0; i < hdd; i++) {
    const major = sdMajors[Math.floor(i / 16)] ?? 8;
    const minor = (i % 16) * 16;
    disks.push({ name: `sd${sdName(i)}`, major, minor, kind: 'hdd', parts: [{ name: `sd${sdName(i)}1`, minor: minor + 1 }] });
  }
  for (let i = 0; i < n - hdd - dm; i++) disks.push({ name: `nvme${i}n1`, major: 259, minor: i, kind: 'nvme', parts: [] });
  for (let i = 0; i < dm; i++) disks.push({ name: `dm-${i}`, major: 253, minor: i, kind: 'dm', parts: [] });
  return disks;
}

function writeDisks(w: TreeWriter, n: number, rnd: (max: number) => number): Disk[] {
  const disks = diskLayout(n);
  const stats = () => [
    rnd(1e9),
    rnd(1e7),
    rnd(2 ** 40),
    rnd(1e9),
    rnd(1e9),
    rnd(1e8),
    rnd(2 ** 40),
    rnd(2e9),
    rnd(20),
    rnd(1e9),
    rnd(3e9),
    rnd(1e6),
    0,
    rnd(2 ** 36),
    rnd(1e5),
    rnd(1e7),
    rnd(1e6),
  ];
  const lines: string[] = [];
  for (const d of disks) {
    const s = stats();
    lines.push(`${pad(d.major, 4)} ${pad(d.minor, 7)} ${d.name} ${s.join(' ')}`);
    for (const p of d.parts) lines.push(`${pad(d.major, 4)} ${pad(p.minor, 7)} ${p.name} ${stats().join(' ')}`);
    const b = `sys/block/${d.name}`;
    const sectors = d.kind === 'hdd' ? 31251759104 : d.kind === 'nvme' ? 7501476528 : 2147483648;
    w.write(`${b}/dev`, `${d.major}:${d.minor}\n`);
    w.write(`${b}/size`, `${sectors}\n`);
    w.write(`${b}/ro`, '0\n');
    w.write(`${b}/removable`, '0\n');
    w.write(`${b}/stat`, `${s.map((v) => pad(v, 8)).join(' ')}\n`);
    const queue: Record<string, string> = {
      rotational: d.kind === 'hdd' ? '1' : '0',
      logical_block_size: d.kind === 'nvme' ? '4096' : '512',
      physical_block_size: '4096',
      hw_sector_size: d.kind === 'nvme' ? '4096' : '512',
      minimum_io_size: '4096',
      optimal_io_size: '0',
      max_sectors_kb: '1280',
      max_hw_sectors_kb: '2048',
      nr_requests: d.kind === 'hdd' ? '256' : '1023',
      read_ahead_kb: '128',
      scheduler: d.kind === 'hdd' ? '[mq-deadline] kyber bfq none' : '[none] mq-deadline kyber bfq',
      discard_granularity: d.kind === 'hdd' ? '0' : '4096',
      discard_max_bytes: d.kind === 'hdd' ? '0' : '2199023255040',
      write_cache: 'write back',
      nomerges: '0',
      rq_affinity: '1',
      add_random: '0',
      iostats: '1',
      wbt_lat_usec: d.kind === 'hdd' ? '75000' : '2000',
    };
    for (const [f, v] of Object.entries(queue)) w.write(`${b}/queue/${f}`, `${v}\n`);
    for (const p of d.parts) {
      w.write(`${b}/${p.name}/dev`, `${d.major}:${p.minor}\n`);
      w.write(`${b}/${p.name}/partition`, '1\n');
      w.write(`${b}/${p.name}/start`, '2048\n');
      w.write(`${b}/${p.name}/size`, `${sectors - 4096}\n`);
    }
    if (d.kind === 'dm') {
      w.write(`${b}/dm/name`, `vg0-lv${d.minor}\n`);
      w.write(`${b}/dm/uuid`, `LVM-k3Jd8s0PpQ2mXw7Yv${String(d.minor).padStart(4, '0')}aBcDeFgHiJkLmNoPqRsTuVwXyZ01\n`);
      w.write(`${b}/dm/suspended`, '0\n');
    }
    writeUdev(w, d, rnd);
  }
  w.write('proc/diskstats', `${lines.join('\n')}\n`);
  return disks;
}

function writeUdev(w: TreeWriter, d: Disk, rnd: (max: number) => number): void {
  const serial = `ZL${(d.minor * 7919 + d.major).toString(36).toUpperCase().padStart(6, '0')}`;
  const uuid = () => [8, 4, 4, 4, 12].map((len) => Array.from({ length: len }, () => rnd(16).toString(16)).join('')).join('-');
  const common = ['W:3', `I:${1_000_000 + rnd(9e6)}`];
  const tail = ['G:systemd', 'Q:systemd', 'V:1'];
  let disk: string[];
  if (d.kind === 'hdd') {
    const model = 'ST16000NM001G-2KK103';
    const wwn = `0x5000c500${(0xa0000000 + d.major * 256 + d.minor).toString(16)}`;
    disk = [
      `S:disk/by-id/ata-${model}_${serial}`,
      `S:disk/by-id/wwn-${wwn}`,
      `S:disk/by-path/pci-0000:3b:00.0-sas-phy${d.minor / 16}-lun-0`,
      ...common,
      'E:ID_ATA=1',
      'E:ID_TYPE=disk',
      'E:ID_BUS=ata',
      `E:ID_MODEL=${model}`,
      'E:ID_REVISION=SN03',
      `E:ID_SERIAL=${model}_${serial}`,
      `E:ID_SERIAL_SHORT=${serial}`,
      'E:ID_ATA_WRITE_CACHE=1',
      'E:ID_ATA_WRITE_CACHE_ENABLED=1',
      'E:ID_ATA_ROTATION_RATE_RPM=7200',
      'E:ID_ATA_SATA=1',
      'E:ID_ATA_SATA_SIGNAL_RATE_GEN1=1',
      'E:ID_ATA_SATA_SIGNAL_RATE_GEN2=1',
      `E:ID_WWN=${wwn}`,
      `E:ID_PATH=pci-0000:3b:00.0-sas-phy${d.minor / 16}-lun-0`,
      'E:ID_PART_TABLE_TYPE=gpt',
      `E:ID_PART_TABLE_UUID=${uuid()}`,
      `E:SCSI_IDENT_SERIAL=${serial}`,
      ...tail,
    ];
    for (const p of d.parts) {
      w.write(
        `run/udev/data/b${d.major}:${p.minor}`,
        `${[
          `S:disk/by-id/ata-${model}_${serial}-part1`,
          `S:disk/by-uuid/${uuid()}`,
          ...common,
          `E:ID_SERIAL=${model}_${serial}`,
          'E:ID_FS_TYPE=xfs',
          `E:ID_FS_UUID=${uuid()}`,
          'E:ID_FS_VERSION=5.0',
          'E:ID_FS_USAGE=filesystem',
          'E:ID_PART_ENTRY_SCHEME=gpt',
          'E:ID_PART_ENTRY_NUMBER=1',
          ...tail,
        ].join('\n')}\n`,
      );
    }
  } else if (d.kind === 'nvme') {
    const model = 'SAMSUNG MZQL27T6HBLA-00A07';
    disk = [
      `S:disk/by-id/nvme-${model.replace(/ /g, '_')}_${serial}`,
      `S:disk/by-id/nvme-eui.${(0x36344830 + d.minor).toString(16)}0025384500000001`,
      `S:disk/by-path/pci-0000:${(0x41 + (d.minor % 64)).toString(16)}:00.0-nvme-1`,
      ...common,
      'E:ID_TYPE=disk',
      `E:ID_MODEL=${model}`,
      'E:ID_REVISION=GDC5A02Q',
      `E:ID_SERIAL=${model.replace(/ /g, '_')}_${serial}`,
      `E:ID_SERIAL_SHORT=${serial}`,
      `E:ID_WWN=eui.${(0x36344830 + d.minor).toString(16)}0025384500000001`,
      `E:ID_PATH=pci-0000:${(0x41 + (d.minor % 64)).toString(16)}:00.0-nvme-1`,
      'E:ID_FS_TYPE=xfs',
      `E:ID_FS_UUID=${uuid()}`,
      'E:ID_FS_VERSION=5.0',
      'E:ID_FS_USAGE=filesystem',
      ...tail,
    ];
  } else {
    disk = [
      `S:mapper/vg0-lv${d.minor}`,
      `S:vg0/lv${d.minor}`,
      ...common,
      `E:DM_NAME=vg0-lv${d.minor}`,
      `E:DM_UUID=LVM-k3Jd8s0PpQ2mXw7Yv${String(d.minor).padStart(4, '0')}aBcDeFgHiJkLmNoPqRsTuVwXyZ01`,
      'E:DM_VG_NAME=vg0',
      `E:DM_LV_NAME=lv${d.minor}`,
      'E:DM_SUSPENDED=0',
      'E:ID_FS_TYPE=ext4',
      `E:ID_FS_UUID=${uuid()}`,
      'E:ID_FS_VERSION=1.0',
      'E:ID_FS_USAGE=filesystem',
      ...tail,
    ];
  }
  w.write(`run/udev/data/b${d.major}:${d.minor}`, `${disk.join('\n')}\n`);
}

// ---- Mounts: /proc/1/mountinfo and the mount point directories under the rootfs ----

function writeMounts(w: TreeWriter, n: number, disks: Disk[], rnd: (max: number) => number): void {
  const rows: Array<[string, string, string, string, string]> = [
    // dev, mountpoint, fstype, source, options
    ['0:21', '/proc', 'proc', 'proc', 'rw'],
    ['0:22', '/sys', 'sysfs', 'sysfs', 'rw'],
    ['0:5', '/dev', 'devtmpfs', 'udev', 'rw,size=528123456k,nr_inodes=132030864,mode=755,inode64'],
    ['0:23', '/dev/pts', 'devpts', 'devpts', 'rw,gid=5,mode=620,ptmxmode=000'],
    ['0:24', '/run', 'tmpfs', 'tmpfs', 'rw,size=105624692k,mode=755,inode64'],
    ['8:2', '/', 'ext4', '/dev/sda2', 'rw,errors=remount-ro'],
    ['0:6', '/sys/kernel/security', 'securityfs', 'securityfs', 'rw'],
    ['0:25', '/dev/shm', 'tmpfs', 'tmpfs', 'rw,inode64'],
    ['0:26', '/run/lock', 'tmpfs', 'tmpfs', 'rw,size=5120k,inode64'],
    ['0:27', '/sys/fs/cgroup', 'cgroup2', 'cgroup2', 'rw,nsdelegate,memory_recursiveprot'],
    ['0:28', '/sys/fs/pstore', 'pstore', 'pstore', 'rw'],
    ['0:29', '/sys/fs/bpf', 'bpf', 'bpf', 'rw,mode=700'],
    ['0:30', '/proc/sys/fs/binfmt_misc', 'autofs', 'systemd-1', 'rw,fd=29,pgrp=1,timeout=0,minproto=5,maxproto=5,direct,pipe_ino=4321'],
    ['0:31', '/dev/hugepages', 'hugetlbfs', 'hugetlbfs', 'rw,pagesize=2M'],
    ['0:20', '/dev/mqueue', 'mqueue', 'mqueue', 'rw'],
    ['0:7', '/sys/kernel/debug', 'debugfs', 'debugfs', 'rw'],
    ['0:12', '/sys/kernel/tracing', 'tracefs', 'tracefs', 'rw'],
    ['0:32', '/sys/fs/fuse/connections', 'fusectl', 'fusectl', 'rw'],
    ['0:33', '/sys/kernel/config', 'configfs', 'configfs', 'rw'],
    ['8:1', '/boot/efi', 'vfat', '/dev/sda1', 'rw,fmask=0077,dmask=0077,codepage=437,iocharset=ascii,shortname=mixed,utf8,errors=remount-ro'],
    ['0:34', '/run/user/0', 'tmpfs', 'tmpfs', 'rw,size=105624688k,nr_inodes=26406172,mode=700,inode64'],
    ['0:35', '/srv/backup\\040copy', 'nfs4', 'nas.example:/backup', 'rw,vers=4.2,addr=10.0.0.5'],
  ];
  for (const d of disks) {
    if (d.kind === 'hdd')
      for (const p of d.parts) rows.push([`${d.major}:${p.minor}`, `/srv/hdd/${p.name}`, 'xfs', `/dev/${p.name}`, 'rw,attr2,inode64,logbufs=8,logbsize=32k,noquota']);
    if (d.kind === 'nvme') rows.push([`${d.major}:${d.minor}`, `/mnt/disks/${d.name}`, 'xfs', `/dev/${d.name}`, 'rw,attr2,inode64,logbufs=8,logbsize=32k,prjquota']);
    if (d.kind === 'dm') rows.push([`${d.major}:${d.minor}`, `/var/lib/lv${d.minor}`, 'ext4', `/dev/mapper/vg0-lv${d.minor}`, 'rw']);
  }
  const id = (len: number) => Array.from({ length: len }, () => rnd(16).toString(16)).join('');
  for (let pod = 0, minor = 100; rows.length < n; pod++) {
    const podId = `${id(8)}-${id(4)}-${id(4)}-${id(4)}-${id(12)}`;
    const sandbox = id(64);
    rows.push([`0:${minor++}`, `/var/lib/kubelet/pods/${podId}/volumes/kubernetes.io~projected/kube-api-access-${id(5)}`, 'tmpfs', 'tmpfs', 'rw,size=4194304k,inode64']);
    rows.push([`0:${minor++}`, `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${sandbox}/shm`, 'tmpfs', 'shm', 'rw,size=65536k,inode64']);
    rows.push([
      `0:${minor++}`,
      `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${sandbox}/rootfs`,
      'overlay',
      'overlay',
      `rw,lowerdir=/var/lib/containerd/snapshots/${pod}/fs,upperdir=/var/lib/containerd/snapshots/${pod + 1}/fs,workdir=/var/lib/containerd/snapshots/${pod + 1}/work`,
    ]);
    rows.push([`0:4`, `/run/netns/cni-${podId}`, 'nsfs', 'nsfs', 'rw']);
  }
  const lines = rows
    .slice(0, n)
    .map(
      ([dev, mp, fstype, source, opts], i) =>
        `${i + 20} ${i === 5 ? 1 : 25} ${dev} / ${mp} rw,relatime ${i % 3 === 0 ? `shared:${i + 1}` : i % 3 === 1 ? `shared:${i + 1} master:1` : ''}`.trimEnd() +
        ` - ${fstype} ${source} ${opts}`,
    );
  w.write('proc/1/mountinfo', `${lines.join('\n')}\n`);
  // The older /proc/<pid>/mounts view, which node_exporter 1.5.0 reads.
  const mounts = `${rows
    .slice(0, n)
    .map(([, mp, fstype, source, opts]) => `${source} ${mp} ${fstype} ${opts.startsWith('ro') ? '' : 'rw,'}relatime${opts.replace(/^rw/, '')} 0 0`)
    .join('\n')}\n`;
  w.write('proc/1/mounts', mounts);
  w.write('proc/mounts', mounts);
  for (const [, mp] of rows.slice(0, n)) {
    if (!/^\/(proc|sys|dev)(\/|$)/.test(mp)) w.dir(mp.replace(/\\040/g, ' ').replace(/^\//, ''));
  }
}

// ---- Everything else: files that do not grow with the host, copied from this machine ----

const HOST_PROC_FILES = [
  'meminfo',
  'loadavg',
  'vmstat',
  'buddyinfo',
  'zoneinfo',
  'cgroups',
  'slabinfo',
  'net/netstat',
  'net/snmp',
  'net/snmp6',
  'net/sockstat',
  'net/sockstat6',
  'net/udp',
  'net/udp6',
  'net/xfrm_stat',
  'pressure/cpu',
  'pressure/io',
  'pressure/memory',
  'pressure/irq',
  'sys/fs/file-nr',
  'sys/kernel/random/entropy_avail',
  'sys/kernel/random/poolsize',
  'sys/net/netfilter/nf_conntrack_count',
  'sys/net/netfilter/nf_conntrack_max',
  'sys/kernel/hung_task_detect_count',
  'sys/kernel/threads-max',
  'sys/kernel/pid_max',
  'sys/fs/file-max',
  'sys/vm/swappiness',
];

function writeHostFiles(w: TreeWriter): void {
  for (const f of HOST_PROC_FILES) w.copyHost(`/proc/${f}`, `proc/${f}`);
  for (const f of ['available_clocksource', 'current_clocksource'])
    w.copyHost(`/sys/devices/system/clocksource/clocksource0/${f}`, `sys/devices/system/clocksource/clocksource0/${f}`);
  const dmi: Record<string, string> = {
    bios_date: '03/14/2025',
    bios_release: '2.4',
    bios_vendor: 'Dell Inc.',
    bios_version: '2.4.4',
    board_asset_tag: '',
    board_name: '0K4JVD',
    board_serial: '.7XKQ4Z3.CNFCP0045A00B1.',
    board_vendor: 'Dell Inc.',
    board_version: 'A04',
    chassis_asset_tag: '',
    chassis_serial: '7XKQ4Z3',
    chassis_type: '23',
    chassis_vendor: 'Dell Inc.',
    chassis_version: '',
    product_family: 'PowerEdge',
    product_name: 'PowerEdge R760',
    product_serial: '7XKQ4Z3',
    product_sku: 'SKU=0B2E;ModelName=PowerEdge R760',
    product_uuid: '4c4c4544-0058-4b10-8051-b7c04f345a33',
    product_version: '',
    sys_vendor: 'Dell Inc.',
  };
  for (const [f, v] of Object.entries(dmi)) w.write(`sys/class/dmi/id/${f}`, `${v}\n`);
  for (const dir of ['devices/system/cpu/vulnerabilities']) {
    let entries: string[] = [];
    try {
      entries = readdirSync(`/sys/${dir}`);
    } catch {
      continue;
    }
    for (const f of entries) w.copyHost(`/sys/${dir}/${f}`, `sys/${dir}/${f}`);
  }
  w.dir('etc');
  for (const f of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      copyFileSync(f, path.join(w.root, 'etc', 'os-release'));
      break;
    } catch {
      // try the next one
    }
  }
}

const MARKER = '.nts-gen-tree';

export function generateTree(root: string, shape: TreeShape): { files: number; bytes: number; seconds: number } {
  const t0 = process.hrtime.bigint();
  // Regenerating replaces a tree this script wrote, never a directory it did not.
  if (existsSync(root) && readdirSync(root).length > 0 && !existsSync(path.join(root, MARKER))) {
    throw new Error(`${root} is not empty and was not written by gen-tree; choose another --out`);
  }
  rmSync(root, { recursive: true, force: true });
  const w = new TreeWriter(root);
  w.write(MARKER, `${JSON.stringify(shape)}\n`);
  const rnd = prng(0x5eed);
  writeCpus(w, shape.cpus, rnd);
  writeInterfaces(w, shape.ifaces, rnd);
  const disks = writeDisks(w, shape.disks, rnd);
  writeMounts(w, shape.mounts, disks, rnd);
  writeHostFiles(w);
  return { files: w.files, bytes: w.bytes, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

function main(argv: string[]): void {
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = opt('--out');
  if (out === undefined || argv.includes('--help')) {
    process.stdout.write('usage: node dist/bench/gen-tree.js --out DIR [--scale F] [--cpus N] [--ifaces N] [--disks N] [--mounts N]\n');
    process.exit(out === undefined ? 1 : 0);
  }
  const count = (name: string, dflt: number) => {
    const v = Number(opt(name) ?? dflt);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
    return v;
  };
  const base = {
    cpus: count('--cpus', LARGE_HOST.cpus),
    ifaces: count('--ifaces', LARGE_HOST.ifaces),
    disks: count('--disks', LARGE_HOST.disks),
    mounts: count('--mounts', LARGE_HOST.mounts),
  };
  const scale = Number(opt('--scale') ?? 1);
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  const shape = scaledShape(base, scale);
  const r = generateTree(path.resolve(out), shape);
  process.stdout.write(
    `${out}: ${shape.cpus} CPUs, ${shape.ifaces} interfaces, ${shape.disks} disks, ${shape.mounts} mounts; ${r.files} files, ${(r.bytes / 2 ** 20).toFixed(1)} MiB in ${r.seconds.toFixed(1)} s\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`gen-tree: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
