import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/repo.js';
import { formatResults, runFuzz } from './run.js';
import { TARGETS } from './targets.js';

/**
 * Property tests of every parser (test/fuzz/targets.ts) with a fixed seed: arbitrary bytes and
 * strings, token soups of the fixtures' own words, and our fixtures damaged (lines dropped,
 * duplicated, swapped; cut mid-token; fields swapped or dropped; numbers made extreme; NUL and
 * invalid UTF-8 inserted; binary words overwritten). Each case must return or throw the parser's
 * own error class, within 500 ms + 2 µs per input byte, returning at most 64 bytes (serialized)
 * per input byte + 256 KiB; a hang is cut off by the main thread, unbounded allocation by the
 * worker's 512 MiB heap. `npm run fuzz` runs the same for longer with a new seed.
 */
const RUNS = 2000;
const SEED = 20261204;

test(`fuzz: ${TARGETS.length} parsers × ${RUNS} cases (seed ${SEED}) return or throw their own error, in bounded time and output`, { timeout: 600_000 }, async (t) => {
  const results = await runFuzz(
    TARGETS.map((x) => ({ target: x.name, runs: RUNS, seed: SEED })),
    { timeoutMs: 120_000, parallel: 2 },
  );
  t.diagnostic(`\n${formatResults(results)}\n${results.reduce((n, r) => n + r.runs, 0)} cases`);
  const failed = results.filter((r) => r.failure !== undefined);
  assert.deepEqual(
    failed.map((r) => `${r.target}: ${r.failure}`),
    [],
  );
  assert.equal(results.length, TARGETS.length);
  for (const r of results) assert.equal(r.runs, RUNS, r.target);
});

/** Exported parsers reached through another target (or plain helpers the targets call). */
const INDIRECT = new Set([
  'parseUint', // parse-error.ts helpers, used by every text parser
  'parseFloatField',
  'parseUint64',
  'parseNameValueLines', // vmstat, numastat
  'parseIpvsAddress', // ipvs backends
  'parseLinkMessage', // link details dump
  'parseSampleValue', // textfile parse
  'parseGoUnsignedBig', // go-number, fibrechannel
  'parseJson', // the wifi and qdisc fixture JSON
]);

test('fuzz: every exported parser of src/procfs, src/sysfs, src/etc, textfile, netlink, ethtool is a target', () => {
  const targets = readFileSync(path.join(repoRoot, 'test', 'fuzz', 'targets.ts'), 'utf8');
  const missing: string[] = [];
  for (const dir of ['procfs', 'sysfs', 'etc', 'textfile', 'netlink', 'ethtool']) {
    for (const f of readdirSync(path.join(repoRoot, 'src', dir)).filter((n) => n.endsWith('.ts'))) {
      const src = readFileSync(path.join(repoRoot, 'src', dir, f), 'utf8');
      for (const m of src.matchAll(/^export function (parse\w+|decode\w+)/gm)) {
        const name = m[1] as string;
        if (!INDIRECT.has(name) && !new RegExp(`\\b${name}\\b`).test(targets)) missing.push(`${dir}/${f}: ${name}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
