import { performance } from 'node:perf_hooks';
import { serialize } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { fuzzBytes, fuzzDatagrams, fuzzFiles } from './mutate.js';
import { DEFAULT_ERRORS, TARGETS, type Target } from './targets.js';

/**
 * Fuzzes one parser (run in a worker thread so the main thread can stop a hang and the heap is
 * capped). Per case: the parser returns, or throws one of its own error classes; it takes at
 * most BASE_MS + MS_PER_BYTE × input bytes; what it returns serializes to at most
 * OUT_PER_BYTE × input bytes + OUT_BASE. Then one input at the read layer's 1 MiB cap.
 */
export interface FuzzJob {
  target: string;
  runs: number;
  seed: number;
}

export interface FuzzResult {
  target: string;
  runs: number;
  maxMs: number;
  maxInputBytes: number;
  maxOutputRatio: number;
  capBytes: number;
  capMs: number;
  /** Wall time of the whole job, generation of inputs included. */
  elapsedMs: number;
  failure?: string;
}

export const BASE_MS = 500;
export const MS_PER_BYTE = 0.002;
export const OUT_PER_BYTE = 64;
export const OUT_BASE = 256 * 1024;
export const CAP_BYTES = 1024 * 1024;

type Input = Buffer | Buffer[] | Map<string, Buffer>;

function size(input: Input): number {
  if (Buffer.isBuffer(input)) return input.length;
  if (Array.isArray(input)) return input.reduce((n, b) => n + b.length, 0);
  let n = 0;
  for (const [k, v] of input) n += k.length + v.length;
  return n;
}

function call(t: Target, input: Input): unknown {
  switch (t.kind) {
    case 'text':
      return t.run((input as Buffer).toString('utf8'));
    case 'bytes':
      return t.run(input as Buffer);
    case 'datagrams':
      return t.run(input as Buffer[]);
    case 'files':
      return t.run(new Map([...(input as Map<string, Buffer>)].map(([k, v]) => [k, v.toString('utf8')])));
  }
}

function outputBytes(out: unknown): number {
  try {
    return serialize(out).length;
  } catch {
    return JSON.stringify(out, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))?.length ?? 0;
  }
}

function arbitrary(t: Target): fc.Arbitrary<Input> {
  switch (t.kind) {
    case 'text':
    case 'bytes':
      return fuzzBytes(t.seeds());
    case 'datagrams':
      return fuzzDatagrams(t.seeds());
    case 'files':
      return fuzzFiles(t.seeds());
  }
}

/** The largest seed repeated up to the read cap. */
function capInput(t: Target): Input | undefined {
  if (t.kind !== 'text' && t.kind !== 'bytes') return undefined;
  const seed = t.seeds().reduce((a, b) => (b.length > a.length ? b : a), Buffer.alloc(0));
  if (seed.length === 0) return undefined;
  const copies = Math.max(1, Math.floor(CAP_BYTES / seed.length));
  return Buffer.concat(Array.from({ length: copies }, () => seed));
}

function check(t: Target, input: Input, stats: FuzzResult): void {
  const bytes = size(input);
  const started = performance.now();
  let out: unknown;
  try {
    out = call(t, input);
  } catch (err) {
    const ok = (t.errors ?? DEFAULT_ERRORS).some((c) => err instanceof c);
    if (!ok) throw new Error(`threw ${(err as Error)?.constructor?.name ?? typeof err}: ${(err as Error)?.stack ?? String(err)}`);
  }
  const ms = performance.now() - started;
  stats.maxMs = Math.max(stats.maxMs, ms);
  stats.maxInputBytes = Math.max(stats.maxInputBytes, bytes);
  if (ms > BASE_MS + MS_PER_BYTE * bytes) throw new Error(`took ${ms.toFixed(0)} ms for ${bytes} bytes`);
  if (out !== undefined) {
    const outBytes = outputBytes(out);
    stats.maxOutputRatio = Math.max(stats.maxOutputRatio, outBytes / Math.max(bytes, 1));
    if (outBytes > OUT_PER_BYTE * bytes + OUT_BASE) throw new Error(`returned ${outBytes} serialized bytes for ${bytes} input bytes`);
  }
}

function describe(input: Input): string {
  const show = (b: Buffer) => JSON.stringify(b.length > 600 ? `${b.subarray(0, 600).toString('latin1')}…` : b.toString('latin1'));
  if (Buffer.isBuffer(input)) return show(input);
  if (Array.isArray(input)) return `[${input.map((b) => b.toString('hex').slice(0, 400)).join(', ')}]`;
  return `{${[...input].map(([k, v]) => `${k}: ${show(v)}`).join(', ')}}`;
}

export function fuzz(job: FuzzJob): FuzzResult {
  const t = TARGETS.find((x) => x.name === job.target);
  if (t === undefined) throw new Error(`no fuzz target ${job.target}`);
  const jobStarted = performance.now();
  const stats: FuzzResult = { target: t.name, runs: 0, maxMs: 0, maxInputBytes: 0, maxOutputRatio: 0, capBytes: 0, capMs: 0, elapsedMs: 0 };
  const details = fc.check(
    fc.property(arbitrary(t), (input) => {
      check(t, input, stats);
    }),
    { numRuns: job.runs, seed: job.seed, endOnFailure: false },
  );
  stats.runs = details.numRuns;
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    stats.elapsedMs = performance.now() - jobStarted;
    stats.failure = `${cause}\n  input (shrunk): ${details.counterexample === null ? '?' : describe(details.counterexample[0])}\n  reproduce: seed ${details.seed}, path ${details.counterexample ? details.counterexamplePath : ''}`;
    return stats;
  }
  const cap = capInput(t);
  if (cap !== undefined) {
    stats.capBytes = size(cap);
    const before = stats.maxMs;
    stats.maxMs = 0;
    try {
      check(t, cap, stats);
    } catch (err) {
      stats.failure = `at the ${stats.capBytes}-byte cap: ${(err as Error).message}`;
    }
    stats.capMs = stats.maxMs;
    stats.maxMs = before;
  }
  stats.elapsedMs = performance.now() - jobStarted;
  return stats;
}

if (parentPort !== null && workerData !== undefined) {
  for (const job of workerData as FuzzJob[]) parentPort.postMessage(fuzz(job));
}
