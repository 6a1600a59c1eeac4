import { ParseError, parseFloatField, parseUint } from './parse-error.js';

/** One logical CPU of /proc/cpuinfo: the fields node_exporter exports, as the kernel spells them. */
export interface CpuinfoEntry {
  processor: number;
  vendorId: string;
  cpuFamily: string;
  model: string;
  modelName: string;
  stepping: string;
  microcode: string;
  /** 0 when the kernel prints no "cpu MHz" (arm64, some VMs). */
  cpuMHz: number;
  cacheSize: string;
  physicalId: string;
  coreId: string;
  flags: string[];
  bugs: string[];
}

/**
 * /proc/cpuinfo has a different layout on each architecture. node_exporter picks its parser by
 * the architecture it was built for; we pick by the one we run on.
 */
export type CpuinfoFormat = 'x86' | 'arm';

export function cpuinfoFormatFor(arch: string): CpuinfoFormat | undefined {
  if (arch === 'x64' || arch === 'ia32') return 'x86';
  if (arch === 'arm' || arch === 'arm64') return 'arm';
  return undefined;
}

function emptyEntry(processor: number): CpuinfoEntry {
  return {
    processor,
    vendorId: '',
    cpuFamily: '',
    model: '',
    modelName: '',
    stepping: '',
    microcode: '',
    cpuMHz: 0,
    cacheSize: '',
    physicalId: '',
    coreId: '',
    flags: [],
    bugs: [],
  };
}

interface KeyValue {
  key: string;
  value: string;
  line: string;
  lineNumber: number;
}

/**
 * "key<tabs>: value" lines. The separator is ": ", so a key with nothing after its colon
 * ("power management:", "flags\t\t:" on a CPU without flags) has no value and matches no key
 * we read. Values are kept as printed: labels carry them verbatim.
 */
function keyValues(text: string): KeyValue[] {
  const out: KeyValue[] = [];
  text.split('\n').forEach((line, i) => {
    const sep = line.indexOf(': ');
    if (sep < 0) return;
    out.push({ key: line.slice(0, sep).trim(), value: line.slice(sep + 2), line, lineNumber: i + 1 });
  });
  return out;
}

/** The first non-blank line, which tells us whether this is cpuinfo of the format we expect. */
function firstLine(text: string): { line: string; lineNumber: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.trim() !== '');
  if (i < 0) throw new ParseError('cpuinfo is empty');
  return { line: lines[i] ?? '', lineNumber: i + 1 };
}

/** x86: one block per logical CPU, each opened by "processor : N". */
function parseX86(text: string): CpuinfoEntry[] {
  const first = firstLine(text);
  if (!/^processor\s*: /.test(first.line)) {
    throw new ParseError('cpuinfo does not start with "processor : N"', first.line, first.lineNumber);
  }
  const cpus: CpuinfoEntry[] = [];
  for (const { key, value, line, lineNumber } of keyValues(text)) {
    if (key === 'processor') {
      cpus.push(emptyEntry(parseUint(value, 'processor number', line, lineNumber)));
      continue;
    }
    const cpu = cpus.at(-1);
    if (cpu === undefined) continue;
    switch (key) {
      case 'vendor':
      case 'vendor_id':
        cpu.vendorId = value;
        break;
      case 'cpu family':
        cpu.cpuFamily = value;
        break;
      case 'model':
        cpu.model = value;
        break;
      case 'model name':
        cpu.modelName = value;
        break;
      case 'stepping':
        cpu.stepping = value;
        break;
      case 'microcode':
        cpu.microcode = value;
        break;
      case 'cpu MHz':
        cpu.cpuMHz = parseFloatField(value, 'cpu MHz', line, lineNumber);
        break;
      case 'cache size':
        cpu.cacheSize = value;
        break;
      case 'physical id':
        cpu.physicalId = value;
        break;
      case 'core id':
        cpu.coreId = value;
        break;
      case 'flags':
        cpu.flags = value.split(/\s+/).filter((f) => f !== '');
        break;
      case 'bugs':
        cpu.bugs = value.split(/\s+/).filter((f) => f !== '');
        break;
    }
  }
  return cpus;
}

/**
 * ARM: arm64 and newer arm kernels open each CPU with "processor : N"; old 32-bit kernels start
 * with "Processor : <model>" shared by all CPUs and count CPUs by their "BogoMIPS" lines.
 * "Features" lists the flags; the last such line applies to every CPU, as node_exporter does.
 */
function parseArm(text: string): CpuinfoEntry[] {
  const first = firstLine(text);
  const m = /^([Pp]rocessor)\s*: (.*)$/.exec(first.line);
  if (m === null) throw new ParseError('cpuinfo does not start with "processor : N"', first.line, first.lineNumber);
  const sharedModel = m[1] === 'Processor' ? (m[2] ?? '') : '';
  const cpus: CpuinfoEntry[] = [];
  let features: string[] = [];
  for (const { key, value, line, lineNumber } of keyValues(text)) {
    switch (key) {
      case 'processor': {
        const cpu = emptyEntry(parseUint(value, 'processor number', line, lineNumber));
        cpu.modelName = sharedModel;
        cpus.push(cpu);
        break;
      }
      case 'BogoMIPS':
        parseFloatField(value, 'BogoMIPS', line, lineNumber);
        // The old layout's only per-CPU line: without "processor" lines it means one CPU.
        if (cpus.length === 0) cpus.push({ ...emptyEntry(0), modelName: sharedModel });
        break;
      case 'Features':
        features = value.split(/\s+/).filter((f) => f !== '');
        break;
      case 'model name': {
        const cpu = cpus.at(-1);
        if (cpu === undefined) throw new ParseError('"model name" before any processor', line, lineNumber);
        cpu.modelName = value;
        break;
      }
    }
  }
  for (const cpu of cpus) cpu.flags = [...features];
  return cpus;
}

export function parseCpuinfo(text: string, format: CpuinfoFormat): CpuinfoEntry[] {
  return format === 'x86' ? parseX86(text) : parseArm(text);
}
