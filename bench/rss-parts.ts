/**
 * Where our RSS is: the exporter (as its shebang runs it) and a bare Node.js process, each read
 * from /proc at three moments: after start-up (one scrape), right at the last answer of
 * bench/compare's burst (50 + 300 sequential scrapes, then 300 by 8 scrapers, gzip), and 2 s
 * later. RSS is split by what is mapped:
 *   node binary  the executable's pages (its code, read-only data with Node's own JavaScript
 *                sources and code cache, ICU's data): file pages, shared, counted in RSS once
 *                touched. With `nm` and `readelf` (binutils) and a binary with symbols, its
 *                present pages are charged, page by page, to the section and the component
 *                (V8's optimizing compiler, other V8, Node, ICU, ...) of the symbol there.
 *   C heap       glibc's [heap] (malloc's main arena: the addon, zlib, V8's compiler zones).
 *   anonymous    every other anonymous mapping: V8's heap pages above all.
 *   files        other file mappings (shared libraries, the addon).
 *   other        stacks, vdso.
 *     node dist/bench/rss-parts.js [--node PATH] [--top N] [-- exporter flags]
 * Needs read access to /proc/<pid>/pagemap of a child (same user) for the binary's breakdown.
 * What a part costs is what it adds over the bare process, which loads the same binary.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseShebang } from '../test/helpers/exporter.js';
import { freePort } from './free-port.js';
import { benchArgs } from './args.js';

const { extra, opt } = benchArgs();
const nodeBin = opt('--node') ?? process.execPath;
const top = Number(opt('--top') ?? 8);
const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(repoRoot, 'dist', 'bin', 'node-exporter.js');
const launch = parseShebang(cli);
const PAGE = 4096;
const MiB = 1024 * 1024;

// ---- The binary: sections and symbols (binutils) ----

interface Range {
  start: number;
  end: number;
  name: string;
}

/** A binutils tool's output, or '' when it is missing or fails. */
function tool(cmd: string, argv: string[]): string {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout : '';
}

/** Sorted by start address; empty when readelf is missing. */
function sections(exe: string): Range[] {
  const out: Range[] = [];
  for (const m of tool('readelf', ['-S', '-W', exe]).matchAll(/^\s*\[\s*\d+\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)/gm)) {
    const start = Number.parseInt(m[2] ?? '0', 16);
    const size = Number.parseInt(m[3] ?? '0', 16);
    if (start > 0 && size > 0) out.push({ start, end: start + size, name: m[1] ?? '?' });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Sorted by start address; empty when nm is missing or the binary is stripped. */
function symbols(exe: string): Range[] {
  const out: Range[] = [];
  for (const line of tool('nm', ['-C', '--defined-only', '-S', exe]).split('\n')) {
    // address size type name
    const m = /^([0-9a-f]+) ([0-9a-f]+) \S (.*)$/.exec(line);
    if (m === null) continue;
    const start = Number.parseInt(m[1] ?? '0', 16);
    out.push({ start, end: start + Math.max(1, Number.parseInt(m[2] ?? '0', 16)), name: m[3] ?? '' });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The last range starting at or before `addr` that contains it. */
function find(ranges: readonly Range[], addr: number): Range | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid]?.start ?? 0) <= addr) {
      at = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const r = ranges[at];
  return r !== undefined && addr < r.end ? r : undefined;
}

/**
 * A symbol's component, by its namespace or prefix. Demangled template functions start with
 * their return type ("void v8::internal::compiler::..."), so a prefix may follow a space.
 */
const COMPONENTS: [string, string[]][] = [
  ["V8's optimizing compilers", ['v8::internal::compiler::', 'v8::internal::maglev::']],
  ["V8's builtins", ['Builtins_', 'v8::internal::Builtin']],
  ["V8's interpreter and baseline compiler", ['v8::internal::interpreter::', 'v8::internal::baseline::']],
  ["V8's WebAssembly", ['v8::internal::wasm::']],
  ['V8, other', ['v8::', 'v8_inspector::', 'heap::', 'cppgc::', 'disasm::']],
  ['ICU', ['icu_', 'u_', 'ucase_', 'ubidi_', 'uprops_', 'icudt']],
  ['Node.js, libuv, parsers, zlib', ['node::', 'llhttp', 'uv_', 'uv__', 'ada::', 'simdutf::', 'nghttp', 'ares_', 'Brotli', 'deflate', 'inflate', 'Cr_z_', 'crc32', 'adler32']],
  ['OpenSSL', ['ossl_', 'EVP_', 'SSL_', 'X509', 'BN_', 'EC_', 'OPENSSL', 'CRYPTO_', 'ASN1', 'ecp_', 'k25519']],
].map(([name, prefixes]) => [name as string, prefixes as string[]]);
const COMPONENT_RES = COMPONENTS.map(([name, prefixes]): [RegExp, string] => [new RegExp(`(?:^|[\\s*&])(?:${prefixes.join('|')})`), name]);

function component(sym: string): string {
  const head = sym.split('(', 1)[0] ?? sym;
  for (const [re, name] of COMPONENT_RES) if (re.test(head)) return name;
  return 'other symbols';
}

// ---- A process's pages ----

interface Parts {
  rss: number;
  kinds: Map<string, number>;
  /** The binary's present bytes by "section: component". */
  binary: Map<string, number>;
}

function readParts(pid: number, exe: string, secs: readonly Range[], syms: readonly Range[]): Parts {
  const kinds = new Map<string, number>();
  const binary = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  let kind = '';
  const exeMaps: [number, number][] = [];
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head !== null) {
      const name = head[3] ?? '';
      kind = name === exe ? 'node binary' : name === '[heap]' ? 'C heap' : name === '' ? 'anonymous' : name.startsWith('/') ? 'files' : 'other';
      if (name === exe) exeMaps.push([Number.parseInt(head[1] ?? '0', 16), Number.parseInt(head[2] ?? '0', 16)]);
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss !== null) add(kinds, kind, Number(rss[1]) * 1024);
  }
  if (secs.length > 0) {
    const fd = openSync(`/proc/${pid}/pagemap`, 'r');
    try {
      for (const [start, end] of exeMaps) {
        const pages = (end - start) / PAGE;
        const buf = Buffer.alloc(pages * 8);
        readSync(fd, buf, 0, buf.length, (start / PAGE) * 8);
        for (let i = 0; i < pages; i++) {
          // Bit 63: the page is present in this process's page table.
          if ((buf.readUInt32LE(i * 8 + 4) & 0x80000000) === 0) continue;
          const addr = start + i * PAGE;
          const sec = find(secs, addr)?.name ?? '(no section)';
          const sym = find(syms, addr);
          add(binary, sym === undefined ? `${sec}: no symbol` : `${sec}: ${component(sym.name)}`, PAGE);
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  const rss = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
  return { rss, kinds, binary };
}

// ---- Scrapes ----

function get(port: number, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/metrics', agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function exporter(): Promise<{ child: ChildProcess; port: number; agent: http.Agent }> {
  const port = await freePort();
  const child = spawn(nodeBin, [...launch.nodeFlags, cli, `--web.listen-address=127.0.0.1:${port}`, ...extra], {
    stdio: 'ignore',
    env: { ...process.env, ...launch.env },
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  for (let t0 = Date.now(); ; await sleep(50)) {
    if (child.exitCode !== null) throw new Error(`the exporter exited with ${child.exitCode}`);
    try {
      await get(port, agent);
      return { child, port, agent };
    } catch {
      if (Date.now() - t0 > 15_000) throw new Error('the exporter did not listen within 15 s');
    }
  }
}

// ---- Report ----

const secs = sections(nodeBin);
const syms = secs.length > 0 ? symbols(nodeBin) : [];
if (syms.length === 0) console.log(`(no breakdown of the binary: readelf/nm missing or ${nodeBin} has no symbols)`);

const bare = spawn(nodeBin, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
const ours = await exporter();
await sleep(3000);
const binaryPath = (pid: number) => readlinkSync(`/proc/${pid}/exe`);
const oursExe = binaryPath(ours.child.pid ?? 0);
const snapshots: [string, Parts][] = [['bare Node.js', readParts(bare.pid ?? 0, binaryPath(bare.pid ?? 0), secs, syms)]];
snapshots.push(['started', readParts(ours.child.pid ?? 0, oursExe, secs, syms)]);
for (let i = 0; i < 350; i++) await get(ours.port, ours.agent);
let n = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (n < 300) {
      n++;
      await get(ours.port, ours.agent);
    }
  }),
);
snapshots.push(['after burst', readParts(ours.child.pid ?? 0, oursExe, secs, syms)]);
await sleep(2000);
snapshots.push(['2 s later', readParts(ours.child.pid ?? 0, oursExe, secs, syms)]);
ours.agent.destroy();
ours.child.kill('SIGTERM');
bare.kill('SIGTERM');

const mib = (b: number | undefined) => ((b ?? 0) / MiB).toFixed(1).padStart(12);
const header = ''.padEnd(58) + snapshots.map(([name]) => name.padStart(12)).join('');
console.log(`${nodeBin} ${spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim()} ${launch.nodeFlags.join(' ')}; MiB`);
console.log(header);
console.log('RSS'.padEnd(58) + snapshots.map(([, p]) => mib(p.rss)).join(''));
for (const k of ['node binary', 'anonymous', 'C heap', 'files', 'other']) console.log(`  ${k}`.padEnd(58) + snapshots.map(([, p]) => mib(p.kinds.get(k))).join(''));
if (syms.length > 0 && top > 0) {
  const last = snapshots[snapshots.length - 1]?.[1].binary ?? new Map<string, number>();
  const first = snapshots[0]?.[1].binary ?? new Map<string, number>();
  // The binary's parts that grew most over the bare process's.
  const keys = [...new Set([...last.keys(), ...first.keys()])].sort((a, b) => (last.get(b) ?? 0) - (first.get(b) ?? 0) - ((last.get(a) ?? 0) - (first.get(a) ?? 0)));
  console.log(`  node binary, the ${top} parts that grew most over bare Node.js:`);
  for (const k of keys.slice(0, top)) console.log(`    ${k.slice(0, 54)}`.padEnd(58) + snapshots.map(([, p]) => mib(p.binary.get(k))).join(''));
}
