import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CompactionSwitch, tuneV8, v8TuningFlags } from '../../src/v8-tuning.js';
import { startExporterProcess } from '../helpers/exporter.js';

test('v8 tuning: V8 11 (Node.js 20) counts TurboFan work as a bytecode budget and compacts on every full collection; later V8s count invocations', () => {
  assert.deepEqual(v8TuningFlags('11.3.244.8-node.33'), ['--interrupt-budget=540672', '--compact-on-every-full-gc']);
  assert.deepEqual(v8TuningFlags('12.4.254.21-node.33'), ['--invocation-count-for-turbofan=24000']);
  assert.deepEqual(v8TuningFlags('13.6.233.10-node.28'), ['--invocation-count-for-turbofan=24000']);
});

test('v8 tuning: the V8 running this test knows every flag chosen for it', () => {
  // An unknown flag is not an exception: V8 prints "unrecognized flag" on stderr and goes on.
  const flags = v8TuningFlags(process.versions.v8);
  const script = `const v8 = require('node:v8'); for (const f of ${JSON.stringify(flags)}) v8.setFlagsFromString(f); console.log('set');`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'set\n');
  assert.equal(r.stderr, '', `V8 ${process.versions.v8} rejected one of ${flags.join(' ')}`);
});

test("v8 tuning: a flag node was given on its command line wins, in any of V8's spellings", () => {
  const seen: string[] = [];
  const set = (f: string): void => {
    seen.push(f);
  };
  assert.deepEqual(tuneV8(['--max-semi-space-size=2', '--no-maglev'], '11.3.244.8', set), ['--interrupt-budget=540672', '--compact-on-every-full-gc']);
  assert.deepEqual(seen, ['--interrupt-budget=540672', '--compact-on-every-full-gc']);
  seen.length = 0;
  assert.deepEqual(tuneV8(['--interrupt_budget=1000', '--no-compact-on-every-full-gc'], '11.3.244.8', set), []);
  assert.deepEqual(tuneV8(['--invocation-count-for-turbofan', '--stack-size=2000'], '13.6.233.10', set), []);
  assert.deepEqual(tuneV8(['--compact-on-every-full-gc'], '11.3.244.8', set), ['--interrupt-budget=540672']);
  assert.deepEqual(seen, ['--interrupt-budget=540672']);
});

test('v8 tuning: the CLI sets the flags for the V8 it runs on as it starts, and V8 takes them', async () => {
  const exporter = await startExporterProcess(['--log.level=debug', '--collector.disable-defaults', '--collector.loadavg']);
  try {
    const logs = exporter.logs();
    const line = /msg="V8 settings for this Node.js" flags="([^"]*)"/.exec(logs);
    assert.ok(line !== null, `no V8 settings line in:\n${logs}`);
    assert.deepEqual(line[1]?.split(' '), v8TuningFlags(process.versions.v8));
    assert.doesNotMatch(logs, /unrecognized flag/);
  } finally {
    await exporter.stop();
  }
});

test('v8 tuning: compaction on every full collection goes off once the heap holds more than 64 MiB and on again below 48', () => {
  const MiB = 1024 * 1024;
  const seen: string[] = [];
  let used = 10 * MiB;
  const sw = new CompactionSwitch(
    (f) => seen.push(f),
    () => used,
  );
  sw.afterScrape();
  used = 64 * MiB;
  sw.afterScrape();
  assert.deepEqual(seen, [], 'on from the start, and still at 64 MiB');
  used = 150 * MiB;
  sw.afterScrape();
  sw.afterScrape();
  assert.deepEqual(seen, ['--no-compact-on-every-full-gc']);
  used = 50 * MiB;
  sw.afterScrape();
  assert.deepEqual(seen, ['--no-compact-on-every-full-gc'], 'between the two: stays off');
  used = 47 * MiB;
  sw.afterScrape();
  sw.afterScrape();
  assert.deepEqual(seen, ['--no-compact-on-every-full-gc', '--compact-on-every-full-gc']);
});
