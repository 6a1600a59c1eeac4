import { test } from 'node:test';
import assert from 'node:assert/strict';
import { softirqs } from '../../src/collectors/softirqs.js';
import { collectSeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

test('softirqs: every known type on every possible CPU, cpu by column', async () => {
  const m = await collectSeries(softirqs, { roots: { procfs: fixturePath('proc') } });
  assert.equal(m.size, 10 * 4);
  assert.equal(m.get('node_softirqs_functions_total{cpu="2",type="TIMER"}'), 412345);
  assert.equal(m.get('node_softirqs_functions_total{cpu="0",type="IRQ_POLL"}'), 0);
  assert.equal(m.get('node_softirqs_functions_total{cpu="3",type="RCU"}'), 2198765);
});
