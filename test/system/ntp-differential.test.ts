/**
 * Differential test of the ntp collector against Debian's node_exporter 1.5.0
 * (`prometheus-node-exporter`, or NODE_EXPORTER_BIN): both query the same fake NTP server on
 * 127.0.0.1 and must report the same series, and the same values for every field that does not
 * depend on the local clock (offset and round trip are only checked to be near).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { wallClockNs } from '../../src/collectors/ntp.js';
import { toNtpTime } from '../../src/ntp/packet.js';
import { parseExposition } from '../helpers/exporter.js';
import { nodeExporterMissing, scrapeBoth, seriesKeys } from '../helpers/node-exporter.js';
import { replyTo, startFakeNtpServer, type ReplyFields } from '../helpers/ntp-server.js';

const FAMILIES = /^node_(ntp_\w+|scrape_collector_success)\{/;
const EXACT = ['stratum', 'leap', 'root_delay_seconds', 'root_dispersion_seconds', 'reference_timestamp_seconds', 'sanity'];

const cases: [string, ReplyFields][] = [
  ['a synchronised server', {}],
  ['an unsynchronised stratum-16 server', { leap: 3, stratum: 16, rootDelay: 0x0001_8000, rootDispersion: 0x0000_0001 }],
  ['a leap second announced, clock 0.5 s off (tolerated)', { leap: 1, skewSeconds: 0.5 }],
  ['clock 2.5 s off', { skewSeconds: 2.5 }],
];

for (const [name, fields] of cases) {
  test(`ntp: same series and values as node_exporter 1.5.0 for ${name}`, { timeout: 60_000 }, async (t) => {
    if (process.platform !== 'linux') return t.skip('Linux only');
    const missing = nodeExporterMissing();
    if (missing !== undefined) return t.skip(missing);
    // A fixed reference time (ten minutes ago, on a millisecond) so both must report it alike.
    const referenceTime = toNtpTime((wallClockNs() / 1_000_000n - 600_000n) * 1_000_000n);
    const server = await startFakeNtpServer((q) => replyTo(q, { referenceTime, ...fields }));
    t.after(() => server.close());
    const { theirs, ours, ourLogs } = await scrapeBoth(t, ['ntp'], { args: [`--collector.ntp.server-port=${server.port}`] });
    assert.ok(ours.includes('node_scrape_collector_success{collector="ntp"} 1\n'), `ntp failed:\n${ourLogs}`);
    assert.ok(theirs.includes('node_scrape_collector_success{collector="ntp"} 1\n'), `theirs failed:\n${theirs}`);
    assert.deepEqual(seriesKeys(ours, FAMILIES), seriesKeys(theirs, FAMILIES));
    const [a, b] = [parseExposition(theirs), parseExposition(ours)];
    for (const f of EXACT) assert.equal(b.get(`node_ntp_${f}`), a.get(`node_ntp_${f}`), f);
    for (const f of ['offset_seconds', 'rtt_seconds']) {
      const diff = Math.abs((b.get(`node_ntp_${f}`) ?? Number.NaN) - (a.get(`node_ntp_${f}`) ?? Number.NaN));
      assert.ok(diff < 0.05, `${f}: ours ${b.get(`node_ntp_${f}`)}, theirs ${a.get(`node_ntp_${f}`)}`);
    }
  });
}
