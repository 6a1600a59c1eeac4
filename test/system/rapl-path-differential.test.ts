/**
 * rapl's `path` label is the zone's directory under --path.sysfs as given, relative or
 * absolute, exactly as node_exporter joins it. (The compat harness passes an absolute sysfs
 * root where upstream's expected e2e output was made with a relative one: node_exporter itself
 * prints the absolute path there, as this test shows for 1.5.0.)
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/repo.js';
import { nodeExporterMissing, scrapeBoth, seriesKeys } from '../helpers/node-exporter.js';

const FAMILIES = /^node_rapl_\w+\{/;
// Both exporters start in the repository root, so "fixtures/sys" resolves the same for both.
const IN_REPO = ['sh', '-c', 'cd "$0" && exec "$@"', repoRoot];

for (const root of ['fixtures/sys', path.join(repoRoot, 'fixtures', 'sys')]) {
  test(`rapl: path labels as node_exporter 1.5.0 prints them, --path.sysfs=${root}`, { timeout: 60_000 }, async (t) => {
    const missing = nodeExporterMissing();
    if (missing !== undefined) return t.skip(missing);
    const { theirs, ours } = await scrapeBoth(t, ['rapl'], { args: [`--path.sysfs=${root}`], runner: IN_REPO });
    const [a, b] = [seriesKeys(theirs, FAMILIES), seriesKeys(ours, FAMILIES)];
    assert.ok(a.length > 0, theirs);
    assert.ok(
      a.every((k) => k.includes(`path=${root}/class/powercap/`)),
      a.join('\n'),
    );
    assert.deepEqual(b, a);
  });
}
