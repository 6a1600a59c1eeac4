import { test } from 'node:test';
import assert from 'node:assert/strict';
import { softnet } from '../../src/collectors/softnet.js';
import { collectSeries, familySeries } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';

test('softnet: seven families per CPU, labelled by the CPU column', async () => {
  const m = await collectSeries(softnet, { roots: { procfs: fixturePath('proc') } });
  assert.equal(m.size, 7 * 3);
  assert.deepEqual(
    [...familySeries(m, 'node_softnet_processed_total').keys()],
    ['node_softnet_processed_total{cpu="0"}', 'node_softnet_processed_total{cpu="1"}', 'node_softnet_processed_total{cpu="3"}'],
  );
  assert.equal(m.get('node_softnet_processed_total{cpu="1"}'), 4294967280);
  assert.equal(m.get('node_softnet_dropped_total{cpu="1"}'), 42);
  assert.equal(m.get('node_softnet_times_squeezed_total{cpu="1"}'), 305);
  assert.equal(m.get('node_softnet_cpu_collision_total{cpu="1"}'), 3);
  assert.equal(m.get('node_softnet_received_rps_total{cpu="0"}'), 18);
  assert.equal(m.get('node_softnet_flow_limit_count_total{cpu="1"}'), 5);
  assert.equal(m.get('node_softnet_backlog_len{cpu="1"}'), 2);
});
