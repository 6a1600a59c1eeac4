import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, newDesc, NoDataError, type Collector } from '../../src/collector.js';
import { buildCollectors } from '../../src/app.js';
import { collectorDefinitions } from '../../src/collectors/index.js';
import { parseConfig, type Config } from '../../src/config.js';
import { encodeOpenMetrics } from '../../src/exposition/openmetrics.js';
import { encodeProtobuf } from '../../src/exposition/protobuf.js';
import { encodeText } from '../../src/exposition/text.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { Paths } from '../../src/paths.js';
import { releaseSnapshot, Scraper, type ScrapeSnapshot } from '../../src/scrape.js';
import { runCli } from '../helpers/exporter.js';
import { FIXTURE_COLLECTOR_ARGS } from '../helpers/fixture-exporter.js';
import { snapshotFamilies } from '../helpers/series.js';

const probe = newDesc('test_probe_value', 'What the probe collector read.', 'gauge', ['n']);

/** A collector that counts its runs and writes the run number; `behave` decides each run. */
function probeCollector(behave: (run: number, signal: AbortSignal) => Promise<void> | void = () => {}) {
  const state = { runs: 0 };
  const collector: Collector = {
    async collect(ctx, out) {
      const run = ++state.runs;
      await behave(run, ctx.signal);
      out.add(probe, run, 'x');
    },
  };
  return { state, collector };
}

/** A clock the test moves by hand (min-intervals and cache ages only; deadlines stay real). */
function manualClock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** A Scraper of the probe alone with a min-interval, on a manual clock, its log lines kept. */
function probeScraper(collector: Collector, intervalMs: number) {
  const clock = manualClock();
  const lines: string[] = [];
  const scraper = new Scraper(
    new Map([['probe', collector]]),
    createLogger('debug', 'logfmt', (l) => lines.push(l)),
    new Map([['probe', intervalMs]]),
    clock.now,
  );
  return { clock, lines, scraper };
}

const outcome = (snap: ScrapeSnapshot, name: string) => snap.outcomes.find((o) => o.name === name);
const probeValue = (snap: ScrapeSnapshot) => snapshotFamilies(snap.families).find((f) => f.name === 'test_probe_value')?.samples[0]?.value;
const ownGauge = (snap: ScrapeSnapshot, family: string, collector: string) =>
  snapshotFamilies(snap.families)
    .find((f) => f.name === family)
    ?.samples.find((s) => s.labels.collector === collector)?.value;

function parse(argv: string[]): Config {
  const out = parseConfig(argv, collectorDefinitions, '0.0.0-test');
  assert.ok(out.config !== undefined);
  return out.config;
}

test('--collector.<name>.min-interval: every collector has it, Go durations, 0 by default; bad values are a ConfigError naming the flag', async (t) => {
  const config = parse(['--collector.cpu.min-interval=30s', '--collector.processes.min-interval=1m30s', '--collector.hwmon.min-interval=500ms']);
  assert.equal(config.collectors.get('cpu')?.minIntervalMs, 30_000);
  assert.equal(config.collectors.get('processes')?.minIntervalMs, 90_000);
  assert.equal(config.collectors.get('hwmon')?.minIntervalMs, 500);
  assert.equal(config.collectors.get('meminfo')?.minIntervalMs, 0);
  assert.equal(parse(['--collector.cpu.min-interval=0']).collectors.get('cpu')?.minIntervalMs, 0);
  const help = parseConfig(['--help'], collectorDefinitions, '0.0.0-test').exitText ?? '';
  for (const def of collectorDefinitions) assert.ok(help.includes(`--collector.${def.name}.min-interval`), `--help lists --collector.${def.name}.min-interval`);
  for (const bad of ['30', '-5s', 'abc', '1d', '', '5 s', '1m-3s']) {
    await t.test(JSON.stringify(bad), () =>
      assert.throws(
        () => parse([`--collector.systemd.min-interval=${bad}`]),
        (err: unknown) => err instanceof ConfigError && err.message.includes('--collector.systemd.min-interval') && err.message.includes('invalid duration'),
      ),
    );
  }
  assert.throws(() => parse(['--collector.nosuch.min-interval=5s']), ConfigError, 'a collector that does not exist has no flag');
});

test('the CLI: a bad min-interval is exit 1 before listening, with the flag and the value named', async () => {
  const r = await runCli(['--collector.processes.min-interval=90', '--web.listen-address=127.0.0.1:0']);
  assert.equal(r.code, 1, r.output);
  assert.match(r.output, /error: --collector\.processes\.min-interval: invalid duration "90"/);
});

test('min-interval 2 s, scraped every 100 ms: the collector reads once per 2 s', async () => {
  const { state, collector } = probeCollector();
  const scraper = new Scraper(new Map([['probe', collector]]), silentLogger, new Map([['probe', 2000]]));
  const refreshes: number[] = [];
  const served: number[] = [];
  const t0 = performance.now();
  let scrapes = 0;
  while (performance.now() - t0 < 5000) {
    const began = performance.now() - t0;
    const snap = await scraper.scrape(['probe'], 1000);
    scrapes++;
    assert.equal(outcome(snap, 'probe')?.success, true);
    const v = probeValue(snap) ?? -1;
    if (v !== served[served.length - 1]) refreshes.push(began);
    served.push(v);
    await sleep(100);
  }
  const elapsed = performance.now() - t0;
  // Every scrape served a run's value, in order, each run's value for a stretch of scrapes.
  assert.deepEqual(
    [...new Set(served)],
    Array.from({ length: state.runs }, (_, i) => i + 1),
  );
  // At most one run per started 2 s (a loaded machine may space scrapes out, never add runs),
  // at least the first and one more (5 s of scraping, at least 2 s apart only if all is well).
  assert.ok(state.runs <= Math.floor(elapsed / 2000) + 1, `${state.runs} runs in ${elapsed.toFixed(0)} ms`);
  assert.ok(state.runs >= 2, `${state.runs} runs in ${elapsed.toFixed(0)} ms`);
  for (let i = 1; i < refreshes.length; i++) {
    const gap = (refreshes[i] ?? 0) - (refreshes[i - 1] ?? 0);
    assert.ok(gap >= 1950, `refreshes ${gap.toFixed(0)} ms apart`);
  }
  // Not 20 scrapes a run: on a loaded machine a 100 ms sleep can take far longer.
  assert.ok(scrapes > state.runs, `${scrapes} scrapes for ${state.runs} runs`);
});

test('two concurrent scrapes that find the result stale share one refresh; so do a burst of them', async () => {
  let release!: () => void;
  let gate = new Promise<void>((r) => (release = r));
  const { state, collector } = probeCollector(() => gate);
  const { clock, scraper } = probeScraper(collector, 10_000);
  const both = Promise.all([scraper.scrape(['probe'], 5000), scraper.scrape(['probe'], 5000)]);
  await sleep(20);
  release();
  const [a, b] = await both;
  assert.equal(state.runs, 1);
  assert.equal(probeValue(a), 1);
  assert.equal(probeValue(b), 1);

  clock.advance(10_000);
  gate = new Promise<void>((r) => (release = r));
  const burst = Promise.all(Array.from({ length: 8 }, () => scraper.scrape(['probe'], 5000)));
  await sleep(20);
  release();
  for (const snap of await burst) {
    assert.equal(probeValue(snap), 2);
    assert.equal(outcome(snap, 'probe')?.success, true);
  }
  assert.equal(state.runs, 2);
  // Within the interval again: no run at all.
  clock.advance(9_999);
  assert.equal(probeValue(await scraper.scrape(['probe'], 5000)), 2);
  assert.equal(state.runs, 2);
});

test('a refresh past the deadline: the previous result, said at debug, until it is two intervals old; then failed', async () => {
  let hang = false;
  const { state, collector } = probeCollector((_run, signal) =>
    hang ? new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) : undefined,
  );
  const { clock, lines, scraper } = probeScraper(collector, 60_000);
  const first = await scraper.scrape(['probe'], 1000);
  const firstDuration = outcome(first, 'probe')?.durationSeconds;

  hang = true;
  clock.advance(90_000);
  const late = await scraper.scrape(['probe'], 100);
  assert.equal(state.runs, 2, 'a refresh was started');
  assert.equal(probeValue(late), 1, 'the previous result is served');
  assert.equal(outcome(late, 'probe')?.success, true);
  assert.equal(outcome(late, 'probe')?.durationSeconds, firstDuration, 'duration of the last completed refresh');
  assert.equal(ownGauge(late, 'node_scrape_collector_cache_age_seconds', 'probe'), 90);
  assert.ok(
    lines.some((l) => /level=debug .*refresh did not finish before the scrape deadline; serving the previous result.*collector=probe/.test(l)),
    lines.join('\n'),
  );
  assert.ok(!lines.some((l) => /level=(warn|error)/.test(l)), lines.join('\n'));

  // The next scrape tries again (a refresh that missed its deadline is not kept waiting on).
  clock.advance(29_999);
  assert.equal(probeValue(await scraper.scrape(['probe'], 100)), 1);
  assert.equal(state.runs, 3);

  clock.advance(1);
  const tooOld = await scraper.scrape(['probe'], 100);
  assert.equal(state.runs, 4);
  assert.equal(probeValue(tooOld), undefined, 'no samples two intervals after the last refresh began');
  assert.equal(outcome(tooOld, 'probe')?.success, false);
  assert.equal(ownGauge(tooOld, 'node_scrape_collector_success', 'probe'), 0);
  assert.equal(ownGauge(tooOld, 'node_scrape_collector_cache_age_seconds', 'probe'), 120);
  assert.ok(lines.some((l) => /level=warn .*did not finish before the scrape deadline; its samples are dropped/.test(l)));

  hang = false;
  const back = await scraper.scrape(['probe'], 1000);
  assert.equal(probeValue(back), 5);
  assert.equal(outcome(back, 'probe')?.success, true);
  assert.equal(ownGauge(back, 'node_scrape_collector_cache_age_seconds', 'probe'), 0);
});

test('released snapshots never hand a kept result to a refresh: the previous result served past a deadline is intact', async () => {
  // The refresh writes its sample before it hangs: had the kept sink been given back for reuse
  // when the first snapshot was released, that write would land in the result being served.
  let hang = false;
  const state = { runs: 0 };
  const collector: Collector = {
    async collect(ctx, out) {
      const run = ++state.runs;
      out.add(probe, run, 'x');
      if (hang) await new Promise<void>((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
    },
  };
  const { clock, scraper } = probeScraper(collector, 60_000);
  releaseSnapshot(await scraper.scrape(['probe'], 1000));
  hang = true;
  clock.advance(90_000);
  const late = await scraper.scrape(['probe'], 100);
  assert.equal(state.runs, 2, 'a refresh was started');
  assert.equal(probeValue(late), 1, 'the previous result, as it was');
  releaseSnapshot(late);
});

test('a failed refresh is served as a failure until a refresh succeeds, and not retried within the interval', async () => {
  const { state, collector } = probeCollector((run) => {
    if (run === 2) throw new Error('read failed');
    if (run === 3) throw new NoDataError('nothing here');
  });
  const { clock, lines, scraper } = probeScraper(collector, 30_000);
  assert.equal(probeValue(await scraper.scrape(['probe'], 1000)), 1);
  clock.advance(30_000);
  // Run 2 throws, run 3 has no data: each is served for its whole interval, then refreshed.
  for (const run of [2, 3]) {
    for (let i = 0; i < 3; i++) {
      const snap = await scraper.scrape(['probe'], 1000);
      assert.equal(state.runs, run, 'one refresh per interval, failed or not');
      assert.equal(probeValue(snap), undefined, `run ${run}: no stale samples`);
      assert.equal(ownGauge(snap, 'node_scrape_collector_success', 'probe'), 0);
      assert.equal(ownGauge(snap, 'node_scrape_collector_cache_age_seconds', 'probe'), i * 10);
      clock.advance(10_000);
    }
  }
  assert.equal(lines.filter((l) => /level=error .*collector failed/.test(l)).length, 1, 'the failure is logged once, not per scrape');
  const ok = await scraper.scrape(['probe'], 1000);
  assert.equal(probeValue(ok), 4);
  assert.equal(ownGauge(ok, 'node_scrape_collector_success', 'probe'), 1);
});

test('a family written by a cached collector and an uncached one: merged afresh each scrape, the cached sink left as it was', async () => {
  const family = newDesc('test_shared_total', 'A family two collectors write.', 'counter', ['from']);
  let fresh = 0;
  const clock = manualClock();
  const scraper = new Scraper(
    new Map<string, Collector>([
      ['a_cached', { collect: async (_ctx, out) => out.add(family, 1, 'a') }],
      ['b_fresh', { collect: async (_ctx, out) => out.add(family, ++fresh, 'b') }],
    ]),
    silentLogger,
    new Map([['a_cached', 60_000]]),
    clock.now,
  );
  for (let i = 1; i <= 4; i++) {
    const snap = await scraper.scrape(scraper.names, 1000);
    const samples = snapshotFamilies(snap.families).find((f) => f.name === 'test_shared_total')?.samples;
    assert.deepEqual(
      samples?.map((s) => [s.labels.from, s.value]),
      [
        ['a', 1],
        ['b', i],
      ],
    );
    clock.advance(1000);
  }
});

test('series served from a kept sink stay in the series cache: the next refresh reuses them, not renders them anew', async () => {
  const many = newDesc('test_many_info', 'Forty series.', 'gauge', ['i']);
  const clock = manualClock();
  const scraper = new Scraper(
    new Map<string, Collector>([
      [
        'many',
        {
          collect: async (_ctx, out) => {
            for (let i = 0; i < 40; i++) out.add(many, 1, String(i));
          },
        },
      ],
    ]),
    silentLogger,
    new Map([['many', 60_000]]),
    clock.now,
  );
  const seriesOf = (snap: ScrapeSnapshot) => snap.families.find((f) => f.buf.name === 'test_many_info')?.buf.allSeries() ?? [];
  const first = seriesOf(await scraper.scrape(['many'], 1000));
  assert.equal(first.length, 40);
  for (let i = 0; i < 5; i++) {
    clock.advance(15_000 - 1);
    assert.equal(seriesOf(await scraper.scrape(['many'], 1000))[0], first[0]);
  }
  const refreshed = await scraper.scrape(['many'], 1000);
  assert.equal(outcome(refreshed, 'many')?.cacheAgeSeconds, 0, 'a refresh');
  const again = seriesOf(refreshed);
  assert.equal(again.length, 40);
  assert.ok(
    again.every((s, i) => s === first[i]),
    'the same Series objects',
  );
});

test('real collectors over the fixtures: a cached scrape is byte-identical to the refresh scrape in every format, and equal to a run without min-intervals', async () => {
  const all = collectorDefinitions.map((d) => d.name);
  const plainConfig = parse(FIXTURE_COLLECTOR_ARGS);
  const enabled = [...plainConfig.collectors].filter(([, c]) => c.enabled).map(([n]) => n);
  const cachedConfig = parse([...FIXTURE_COLLECTOR_ARGS, ...all.map((n) => `--collector.${n}.min-interval=1h`)]);
  const clock = manualClock();
  const build = (config: Config) => buildCollectors(config, collectorDefinitions, new Paths(config.roots), silentLogger);
  const intervals = new Map([...cachedConfig.collectors].map(([n, c]) => [n, c.minIntervalMs]));
  const cached = new Scraper(build(cachedConfig), silentLogger, intervals, clock.now);
  // A second, uncached scraper scraping between the cached ones: it moves the series cache on
  // (every scrape is a generation), so the cached sinks' series are swept from the cache while
  // the sinks are still served.
  const plain = new Scraper(build(plainConfig), silentLogger);
  const names = cached.names;
  assert.deepEqual(names, enabled.sort());

  // Scrape-to-scrape lines: ages, and the uncached durations.
  const age = /^node_scrape_collector_cache_age_seconds\{.*\n/gm;
  const duration = /^node_scrape_collector_duration_seconds\{.*\n/gm;
  const bodies = (snap: ScrapeSnapshot) => {
    const families = snap.families.filter((f) => f.buf.name !== 'node_scrape_collector_cache_age_seconds');
    return {
      text: [...encodeText(families)].join(''),
      openmetrics: [...encodeOpenMetrics(families)].join(''),
      protobuf: Buffer.concat([...encodeProtobuf(families)]),
    };
  };
  const refresh = await cached.scrape(names, 10_000);
  assert.ok(
    refresh.outcomes.every((o) => o.success),
    `failed: ${refresh.outcomes
      .filter((o) => !o.success)
      .map((o) => o.name)
      .join(' ')}`,
  );
  const first = bodies(refresh);
  assert.match(first.text, /^node_cpu_seconds_total\{/m);
  let plainText = '';
  for (let i = 0; i < 6; i++) {
    plainText = [...encodeText((await plain.scrape(plain.names, 10_000)).families)].join('');
    clock.advance(5 * 60_000);
    const again = await cached.scrape(names, 10_000);
    assert.ok(again.outcomes.every((o) => o.cacheAgeSeconds === (i + 1) * 300));
    const b = bodies(again);
    assert.equal(b.text, first.text, `text, cached scrape ${i + 1}`);
    assert.equal(b.openmetrics, first.openmetrics, `OpenMetrics, cached scrape ${i + 1}`);
    assert.ok(b.protobuf.equals(first.protobuf), `protobuf, cached scrape ${i + 1}`);
  }
  // And what is cached is what an uncached run serves (durations aside; they are per run).
  assert.equal(first.text.replace(duration, ''), plainText.replace(duration, ''));
  // An hour on, every collector refreshes (their series rendered anew): the same output again.
  clock.advance(60 * 60_000);
  const later = await cached.scrape(names, 10_000);
  assert.ok(later.outcomes.every((o) => o.success && o.cacheAgeSeconds === 0));
  assert.equal(bodies(later).text.replace(duration, ''), first.text.replace(duration, ''));
  assert.equal(bodies(later).openmetrics.replace(duration, ''), first.openmetrics.replace(duration, ''));
  // The age is there for every collector with an interval, and only for them.
  const ages = [...encodeText(refresh.families)].join('').match(age) ?? [];
  assert.equal(ages.length, names.length);
  assert.doesNotMatch(plainText, age);
});
