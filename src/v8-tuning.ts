import v8 from 'node:v8';

const COMPACT = '--compact-on-every-full-gc';
const MIB = 1024 * 1024;

/**
 * V8 settings that depend on the V8 inside the running Node.js, so they cannot sit in the
 * shebang with the others (a flag one V8 does not know stops the other at start-up). Measured in
 * README "Memory" with bench/compare.ts:
 *
 * - TurboFan takes a function up after 8x V8's default amount of interpreted work. Collectors
 *   run once per scrape, so under the default TurboFan keeps taking up one collector after
 *   another for the first ~1,000 scrapes (~300 compilations), each holding compiler memory in
 *   the C heap while it runs; with 8x it compiles what is truly hot and little else. V8 11
 *   (Node.js 20) counts that work as an interrupt budget in bytecode bytes (67,584 by default),
 *   later V8s as invocations (3,000).
 * - V8 11 only: full collections compact the old generation every time while the heap is small
 *   (see CompactionSwitch), instead of leaving the pages a burst of scrapes fragmented resident
 *   until V8's heuristics pick them. Later V8s keep the pages compaction frees in a pool of their
 *   own: there it raised RSS by ~7 MiB.
 */
export function v8TuningFlags(v8Version: string): string[] {
  const major = Number.parseInt(v8Version, 10);
  if (major <= 11) return ['--interrupt-budget=540672', COMPACT];
  return ['--invocation-count-for-turbofan=24000'];
}

/**
 * Compaction on every full collection, switched off while V8's heap holds more than 64 MiB and
 * on again below 48: on a host as large as bench/gen-tree's (90k series, ~150 MiB of heap) each
 * full collection moving that much cost 35% more CPU per scrape, where on a typical host (~10 MiB)
 * it costs nothing we can measure.
 */
export class CompactionSwitch {
  private on = true;

  constructor(
    private readonly set: (flag: string) => void = v8.setFlagsFromString,
    private readonly heapUsed: () => number = () => v8.getHeapStatistics().used_heap_size,
  ) {}

  /** Called after each scrape: switches compaction by the heap's size now. */
  afterScrape(): void {
    const used = this.heapUsed();
    const want = this.on ? used <= 64 * MIB : used < 48 * MIB;
    if (want === this.on) return;
    this.on = want;
    this.set(want ? COMPACT : `--no-${COMPACT.slice(2)}`);
  }
}

/** The switch tuneV8 started, if it did (V8 11, the flag not given by hand). */
let compaction: CompactionSwitch | undefined;

/** For the server, after each scrape. */
export function v8AfterScrape(): void {
  compaction?.afterScrape();
}

/** The name a V8 flag sets, as `--name`: `--no-x` and `--x=1` both set `--x`; `_` as `-`. */
function flagName(flag: string): string {
  const bare = flag.replace(/^--?/, '').split('=')[0]?.replace(/_/g, '-') ?? '';
  return `--${bare.startsWith('no-') ? bare.slice(3) : bare}`;
}

/**
 * Sets v8TuningFlags for this V8, but none that the command line (`execArgv`) already sets
 * either way: a flag given to node by hand wins (and compaction is then never switched). Returns
 * the flags set.
 */
export function tuneV8(execArgv: readonly string[] = process.execArgv, v8Version: string = process.versions.v8, set: (flag: string) => void = v8.setFlagsFromString): string[] {
  const given = new Set(execArgv.filter((a) => a.startsWith('-')).map(flagName));
  const flags = v8TuningFlags(v8Version).filter((f) => !given.has(flagName(f)));
  for (const f of flags) set(f);
  compaction = flags.includes(COMPACT) ? new CompactionSwitch(set) : undefined;
  return flags;
}
