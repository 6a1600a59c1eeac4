import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { FIXTURE_COLLECTOR_ARGS as ARGS } from './helpers/fixture-exporter.js';
import { fixturePath, fixturesDir } from './helpers/repo.js';
import { startExporterProcess, type ExporterProcess } from './helpers/exporter.js';

/**
 * The whole output of every collector that reads only our fixtures, in both text formats,
 * kept as golden files: the scrape path may be rebuilt underneath (sink, series cache, own
 * encoders) but what a user sees must not change. Numbers are compared by value, so the
 * spelling of a number (JavaScript's or Go's) is the one thing allowed to differ.
 */
/** Families that describe this process or this run, not the fixtures. */
const RUN_DEPENDENT = /^(?:# (?:HELP|TYPE) )?(?:process_|nodejs_|promhttp_|node_exporter_build_info|node_scrape_collector_duration_seconds)/;

/** One spelling per number, so JavaScript's `25276502016` and Go's `2.5276502016e+10` compare equal. */
function canonicalNumber(v: string): string {
  if (v === '+Inf' || v === '-Inf') return v;
  // prom-client spelled NaN "Nan"; Go spells it "NaN".
  if (v === 'NaN' || v === 'Nan') return 'NaN';
  const n = Number(v);
  return Number.isNaN(n) ? v : String(n);
}

export function normaliseGolden(body: string): string {
  return (
    body
      .split('\n')
      .filter((l) => l !== '' && !RUN_DEPENDENT.test(l))
      .map((l) => l.replaceAll(fixturesDir, '<fixtures>'))
      // The textfile's mtime is when git checked the fixture out.
      .map((l) => (/^node_textfile_mtime_seconds\{/.test(l) ? l.replace(/ \S+$/, ' <mtime>') : l))
      .map((l) => (l.startsWith('#') ? l : l.replace(/ (\S+)$/, (_, v: string) => ` ${canonicalNumber(v)}`)))
      .join('\n')
      .concat('\n')
  );
}

function assertGolden(name: string, actual: string): void {
  const file = fixturePath('golden', name);
  if (process.env.UPDATE_EXPECTED === '1') writeFileSync(file, actual);
  const expected = readFileSync(file, 'utf8');
  if (actual === expected) return;
  // The first differing line says more than assert's diff of two 3,000-line strings.
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((l, n) => l !== e[n]);
  assert.fail(`output differs from ${file} at line ${i + 1}:\n  expected: ${e[i] ?? '<end>'}\n  actual:   ${a[i] ?? '<end>'}\n(UPDATE_EXPECTED=1 npm test rewrites it)`);
}

let exp: ExporterProcess;
before(async () => {
  exp = await startExporterProcess(ARGS);
});
after(async () => {
  await exp?.stop();
});

test('golden: every fixture-reading collector, Prometheus text format', async () => {
  const res = await fetch(`${exp.base}/metrics`, { headers: { accept: 'text/plain' } });
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.doesNotMatch(body, /^node_scrape_collector_success\{.*\} 0$/m, 'every collector succeeds on the fixtures');
  assertGolden('collectors.prom', normaliseGolden(body));
});

test('golden: every fixture-reading collector, OpenMetrics', async () => {
  const res = await fetch(`${exp.base}/metrics`, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.ok(body.endsWith('# EOF\n'));
  assertGolden('collectors.openmetrics', normaliseGolden(body));
});

test('golden, every collector on --collector.<name>.min-interval=1h: the refresh scrape and the cached ones serve the same output', async () => {
  const names = [...new Set(ARGS.flatMap((a) => /^--collector\.([a-z0-9_]+)$/.exec(a)?.[1] ?? []))];
  const cached = await startExporterProcess([...ARGS, ...names.map((n) => `--collector.${n}.min-interval=1h`)]);
  try {
    const formats = [
      ['collectors.prom', 'text/plain'],
      ['collectors.openmetrics', 'application/openmetrics-text; version=1.0.0'],
    ] as const;
    for (let scrape = 1; scrape <= 3; scrape++) {
      for (const [file, accept] of formats) {
        const res = await fetch(`${cached.base}/metrics`, { headers: { accept } });
        assert.equal(res.status, 200);
        const body = await res.text();
        const ages = body.match(/^node_scrape_collector_cache_age_seconds\{.*$/gm) ?? [];
        assert.equal(ages.length, names.length, `scrape ${scrape}: one cache age per collector`);
        assertGolden(file, normaliseGolden(body.replace(/^(?:# (?:HELP|TYPE) )?node_scrape_collector_cache_age_seconds\b.*\n/gm, '')));
      }
    }
  } finally {
    await cached.stop();
  }
});
