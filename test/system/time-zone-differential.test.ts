/**
 * Differential test of the time collector's zone against Debian's node_exporter 1.5.0
 * (`prometheus-node-exporter`, or NODE_EXPORTER_BIN): both run with the same TZ and must report
 * the same node_time_zone_offset_seconds series (the zone's name as its label) and value. Ours
 * reads the zone file as Go does; V8's own clock would ask ICU's zone database instead.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { parseExposition } from '../helpers/exporter.js';
import { nodeExporterMissing, scrapeBoth, seriesKeys } from '../helpers/node-exporter.js';

// Northern and southern DST, a half-hour DST (Lord Howe), quarter- and half-hour zones, a
// negative DST (Dublin), a fixed zone, a zone with no name for its offset, and no zone file (UTC).
const ZONES = [
  'Europe/Berlin',
  'Europe/Dublin',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'Asia/Kolkata',
  'Etc/GMT+5',
  'America/Sao_Paulo',
  'Nowhere/Atlantis',
];

test('time: the same zone offset and name as node_exporter 1.5.0, zone by zone', { timeout: 120_000 }, async (t) => {
  if (process.platform !== 'linux') return t.skip('Linux only');
  const missing = nodeExporterMissing();
  if (missing !== undefined) return t.skip(missing);
  if (!existsSync('/usr/share/zoneinfo/Europe/Berlin')) return t.skip('no tzdata in /usr/share/zoneinfo (Debian package tzdata)');
  const saved = process.env.TZ;
  t.after(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  for (const zone of ZONES) {
    // Both exporters inherit this process's environment.
    process.env.TZ = zone;
    const { theirs, ours } = await scrapeBoth(t, ['time']);
    const keys = (text: string) => seriesKeys(text, /^node_time_zone_offset_seconds\{/);
    assert.equal(keys(ours).length, 1, `${zone}: ${keys(ours).join(' ')}`);
    assert.deepEqual(keys(ours), keys(theirs), zone);
    const value = (text: string) => [...parseExposition(text)].find(([k]) => k.startsWith('node_time_zone_offset_seconds'))?.[1];
    assert.equal(value(ours), value(theirs), zone);
  }
});
