import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/collector.js';
import { interrupts } from '../../src/collectors/interrupts.js';
import { buildCollector, collectSeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

const roots = { procfs: fixturePath('proc') };

test('interrupts: every row on every column; cpu is the column position, as upstream', async () => {
  const m = await collectSeries(interrupts, { roots });
  assert.equal(m.size, 28 * 3);
  // The third column is CPU3 (cpu2 is offline) yet labelled "2", as node_exporter labels it.
  assert.equal(m.get('node_interrupts_total{cpu="2",devices="0-edge ahci[0000:00:17.0]",info="IR-PCI-MSI-0000:00:17.0",type="122"}'), 9877712);
  assert.equal(m.get('node_interrupts_total{cpu="0",devices="",info="Local timer interrupts",type="LOC"}'), 98123456);
  assert.equal(m.get('node_interrupts_total{cpu="1",devices="16-fasteoi i801_smbus, snd_hda_intel:card0",info="IO-APIC",type="16"}'), 0);
});

test('interrupts: --no-collector.interrupts.include-zeros drops zero counts', async () => {
  const m = await collectSeries(interrupts, { roots, options: { 'collector.interrupts.include-zeros': false } });
  assert.ok([...m.values()].every((v) => v !== 0));
  assert.equal(m.size, 33);
});

test('interrupts: name filters match "name;info;devices"', async () => {
  const inc = await collectSeries(interrupts, { roots, options: { 'collector.interrupts.name-include': '^12[34];.*nvme' }, explicit: ['collector.interrupts.name-include'] });
  assert.deepEqual(new Set([...inc.keys()].map((k) => /type="(\d+)"/.exec(k)?.[1])), new Set(['123', '124']));
  const exc = await collectSeries(interrupts, { roots, options: { 'collector.interrupts.name-exclude': '^NMI;|;$' }, explicit: ['collector.interrupts.name-exclude'] });
  assert.ok(![...exc.keys()].some((k) => k.includes('type="NMI"')));
  // Named rows have no devices, so their filter name ends in ";": all of them go.
  assert.ok(![...exc.keys()].some((k) => k.includes('type="TLB"')));
  assert.equal(exc.size, 11 * 3);
  assert.throws(
    () =>
      buildCollector(interrupts, {
        roots,
        options: { 'collector.interrupts.name-include': 'a', 'collector.interrupts.name-exclude': 'b' },
        explicit: ['collector.interrupts.name-include', 'collector.interrupts.name-exclude'],
      }),
    ConfigError,
  );
});
