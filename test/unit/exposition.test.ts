import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { MetricFamily, Sample } from '../../src/collector.js';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, render, uniqueSortedSamples } from '../../src/exposition.js';

const lines = (text: string) => text.split('\n');

function fam(name: string, type: MetricFamily['type'], samples: Sample[], help = `Help for ${name}.`): MetricFamily {
  return { name, help, type, samples };
}

test('content types are the Prometheus and OpenMetrics ones', () => {
  assert.match(PROMETHEUS_CONTENT_TYPE, /^text\/plain; version=0\.0\.4/);
  assert.match(OPENMETRICS_CONTENT_TYPE, /^application\/openmetrics-text; version=1\.0\.0/);
});

test('Prometheus text: HELP and TYPE lines, then samples', async () => {
  const out = await render([fam('node_load1', 'gauge', [{ labels: {}, value: 0.21 }], '1m load average.')], false);
  const l = lines(out).filter((x) => x !== '');
  assert.deepEqual(l, ['# HELP node_load1 1m load average.', '# TYPE node_load1 gauge', 'node_load1 0.21']);
  assert.ok(out.endsWith('\n'));
  assert.ok(!out.includes('# EOF'));
});

test('types as given: gauge, counter, untyped', async () => {
  const out = await render(
    [
      fam('a_gauge', 'gauge', [{ labels: {}, value: 1 }]),
      fam('b_total', 'counter', [{ labels: {}, value: 2 }]),
      fam('c_thing', 'untyped', [{ labels: {}, value: 3 }]),
    ],
    false,
  );
  const l = lines(out);
  assert.ok(l.includes('# TYPE a_gauge gauge'));
  assert.ok(l.includes('# TYPE b_total counter'));
  assert.ok(l.includes('b_total 2'));
  assert.ok(l.includes('# TYPE c_thing untyped'));
  assert.ok(l.includes('c_thing 3'));
});

test('families are sorted by name', async () => {
  const names = ['node_time_seconds', 'node_boot_time_seconds', 'node_load15', 'node_load1', 'node_load5', 'aaa'];
  const out = await render(names.map((n) => fam(n, 'gauge', [{ labels: {}, value: 1 }])), false);
  const typeOrder = lines(out).filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]);
  assert.deepEqual(typeOrder, [...names].sort());
});

test('label values are escaped: backslash, double quote, newline', async () => {
  const out = await render([fam('x_info', 'gauge', [{ labels: { v: 'a\\b"c\nd' }, value: 1 }])], false);
  assert.ok(lines(out).includes('x_info{v="a\\\\b\\"c\\nd"} 1'), out);
});

test('HELP text escapes backslash and newline', async () => {
  const out = await render([fam('x', 'gauge', [{ labels: {}, value: 1 }], 'line1\nC:\\path')], false);
  assert.ok(lines(out).includes('# HELP x line1\\nC:\\\\path'), out);
});

test('special values: NaN, ±Inf, large and small numbers', async () => {
  const out = await render(
    [
      fam('v', 'gauge', [
        { labels: { k: 'a' }, value: Number.NaN },
        { labels: { k: 'b' }, value: Infinity },
        { labels: { k: 'c' }, value: -Infinity },
        { labels: { k: 'd' }, value: 18446744073709551615 },
        { labels: { k: 'e' }, value: 1e-9 },
        { labels: { k: 'f' }, value: -0.5 },
      ]),
    ],
    false,
  );
  const values = new Map(lines(out).filter((l) => l.startsWith('v{')).map((l) => [l.slice(0, l.lastIndexOf(' ')), l.slice(l.lastIndexOf(' ') + 1)]));
  // Go's strconv.ParseFloat (Prometheus' parser) reads NaN case-insensitively.
  assert.equal(values.get('v{k="a"}')?.toLowerCase(), 'nan');
  assert.equal(values.get('v{k="b"}'), '+Inf');
  assert.equal(values.get('v{k="c"}'), '-Inf');
  assert.equal(Number(values.get('v{k="d"}')), 18446744073709551615);
  assert.equal(Number(values.get('v{k="e"}')), 1e-9);
  assert.equal(values.get('v{k="f"}'), '-0.5');
});

test('samples sorted by label values once through uniqueSortedSamples', async () => {
  const samples: Sample[] = [
    { labels: { cpu: '2', mode: 'user' }, value: 3 },
    { labels: { cpu: '10', mode: 'idle' }, value: 5 },
    { labels: { cpu: '0', mode: 'user' }, value: 1 },
    { labels: { cpu: '0', mode: 'idle' }, value: 0 },
  ];
  const out = await render([fam('node_cpu_seconds_total', 'counter', uniqueSortedSamples(samples).samples)], false);
  const got = lines(out).filter((l) => l.startsWith('node_cpu_seconds_total{'));
  // String order, as Go's registry sorts: "10" before "2".
  assert.deepEqual(got, [
    'node_cpu_seconds_total{cpu="0",mode="idle"} 0',
    'node_cpu_seconds_total{cpu="0",mode="user"} 1',
    'node_cpu_seconds_total{cpu="10",mode="idle"} 5',
    'node_cpu_seconds_total{cpu="2",mode="user"} 3',
  ]);
});

test(
  'render sorts the samples of a family by label values by itself',
  async () => {
    const out = await render(
      [fam('s', 'gauge', [{ labels: { d: 'sdb' }, value: 2 }, { labels: { d: 'sda' }, value: 1 }])],
      false,
    );
    assert.deepEqual(lines(out).filter((l) => l.startsWith('s{')), ['s{d="sda"} 1', 's{d="sdb"} 2']);
  },
);

test(
  'label names within a sample come out sorted, as client_golang writes them',
  async () => {
    const out = await render([fam('f', 'gauge', [{ labels: { mountpoint: '/', device: 'sda1', fstype: 'ext4' }, value: 1 }])], false);
    assert.ok(lines(out).includes('f{device="sda1",fstype="ext4",mountpoint="/"} 1'), out);
  },
);

test('OpenMetrics: ends with "# EOF", untyped becomes unknown, counters lose _total in TYPE', async () => {
  const families = [
    fam('foo_total', 'counter', [{ labels: { a: 'x' }, value: 7 }]),
    fam('bar', 'untyped', [{ labels: {}, value: 1 }]),
    fam('baz', 'gauge', [{ labels: {}, value: 2 }]),
  ];
  const out = await render(families, true);
  assert.ok(out.endsWith('# EOF\n'), JSON.stringify(out.slice(-20)));
  assert.equal(out.indexOf('# EOF'), out.length - '# EOF\n'.length, 'only one EOF, at the end');
  const l = lines(out);
  assert.ok(l.includes('# TYPE bar unknown'), out);
  assert.ok(!out.includes('untyped'));
  assert.ok(l.includes('# TYPE foo counter'), out);
  assert.ok(l.includes('# HELP foo Help for foo_total.'), out);
  assert.ok(l.includes('foo_total{a="x"} 7'), out);
  assert.ok(!l.includes('# TYPE foo_total counter'));
  assert.ok(l.includes('# TYPE baz gauge'));
  assert.ok(!lines(out.slice(0, -1)).includes(''), 'OpenMetrics has no blank lines');
});

test('rendering OpenMetrics does not change the families (next Prometheus render is intact)', async () => {
  const families = [fam('foo_total', 'counter', [{ labels: {}, value: 1 }])];
  await render(families, true);
  assert.equal(families[0]?.name, 'foo_total');
  const out = await render(families, false);
  assert.ok(lines(out).includes('# TYPE foo_total counter'), out);
  assert.ok(lines(out).includes('foo_total 1'), out);
});

test('uniqueSortedSamples drops duplicates (first wins) and counts them', async (t) => {
  const cases: { name: string; in: Sample[]; out: Sample[]; duplicates: number }[] = [
    { name: 'empty', in: [], out: [], duplicates: 0 },
    { name: 'no labels, one sample', in: [{ labels: {}, value: 1 }], out: [{ labels: {}, value: 1 }], duplicates: 0 },
    {
      name: 'no labels, twice',
      in: [{ labels: {}, value: 1 }, { labels: {}, value: 2 }],
      out: [{ labels: {}, value: 1 }],
      duplicates: 1,
    },
    {
      name: 'duplicate among others, first value kept',
      in: [
        { labels: { device: 'sdb' }, value: 2 },
        { labels: { device: 'sda' }, value: 1 },
        { labels: { device: 'sdb' }, value: 99 },
        { labels: { device: 'sdb' }, value: 98 },
      ],
      out: [
        { labels: { device: 'sda' }, value: 1 },
        { labels: { device: 'sdb' }, value: 2 },
      ],
      duplicates: 2,
    },
    {
      name: 'label order does not make a different series',
      in: [
        { labels: { a: '1', b: '2' }, value: 1 },
        { labels: { b: '2', a: '1' }, value: 2 },
      ],
      out: [{ labels: { a: '1', b: '2' }, value: 1 }],
      duplicates: 1,
    },
    {
      name: 'different values are different series',
      in: [
        { labels: { mountpoint: '/b' }, value: 1 },
        { labels: { mountpoint: '/a' }, value: 1 },
        { labels: { mountpoint: '/' }, value: 1 },
      ],
      out: [
        { labels: { mountpoint: '/' }, value: 1 },
        { labels: { mountpoint: '/a' }, value: 1 },
        { labels: { mountpoint: '/b' }, value: 1 },
      ],
      duplicates: 0,
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = uniqueSortedSamples(c.in);
      assert.deepEqual(got.samples, c.out);
      assert.equal(got.duplicates, c.duplicates);
    });
  }
});

function promtoolPath(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v promtool'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

test('promtool check metrics accepts the Prometheus text output', async (t) => {
  const promtool = promtoolPath();
  if (promtool === undefined) {
    t.skip('promtool not on PATH (Debian package "prometheus")');
    return;
  }
  const families: MetricFamily[] = [
    fam('node_load1', 'gauge', [{ labels: {}, value: 0.5 }], '1m load average.'),
    fam('node_cpu_seconds_total', 'counter', uniqueSortedSamples([
      { labels: { cpu: '1', mode: 'idle' }, value: 12.5 },
      { labels: { cpu: '0', mode: 'idle' }, value: 100 },
      { labels: { cpu: '0', mode: 'user' }, value: 3 },
    ]).samples, 'Seconds the CPUs spent in each mode.'),
    fam('node_filesystem_avail_bytes', 'gauge', [
      { labels: { device: '/dev/sda1', fstype: 'ext4', mountpoint: '/media/my "quoted" \\ dir\nx' }, value: 1e12 },
    ], 'Filesystem space available to non-root users in bytes.'),
    fam('node_hwmon_temp_celsius', 'gauge', [{ labels: { chip: 'x' }, value: Number.NaN }], 'Hardware monitor for temperature (input).'),
    fam('node_textfile_thing', 'untyped', [{ labels: {}, value: 1 }], 'An untyped metric.'),
  ];
  const text = await render(families, false);
  const r = spawnSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `promtool check metrics failed:\n${r.stdout}${r.stderr}\n--- input ---\n${text}`);

  // And it does fail on a badly named counter, so the check above means something.
  const bad = await render([fam('node_requests', 'counter', [{ labels: {}, value: 1 }], 'No _total suffix.')], false);
  const rb = spawnSync(promtool, ['check', 'metrics'], { input: bad, encoding: 'utf8' });
  assert.notEqual(rb.status, 0, `promtool should flag a counter without _total:\n${rb.stdout}${rb.stderr}`);
});

test('render: a histogram keeps each series\' lines together, le last, suffixed names', async () => {
  const f: MetricFamily = {
    name: 'lat',
    help: 'Latency.',
    type: 'histogram',
    samples: [
      { labels: { z: 'b', le: '1' }, value: 1, suffix: '_bucket' },
      { labels: { z: 'b', le: '+Inf' }, value: 2, suffix: '_bucket' },
      { labels: { z: 'b' }, value: 3, suffix: '_sum' },
      { labels: { z: 'b' }, value: 2, suffix: '_count' },
      { labels: { z: 'a', le: '+Inf' }, value: 0, suffix: '_bucket' },
      { labels: { z: 'a' }, value: 0, suffix: '_sum' },
      { labels: { z: 'a' }, value: 0, suffix: '_count' },
      { labels: { z: 'a' }, value: 9, suffix: '_count' }, // a duplicate: the first wins
    ],
  };
  const text = await render([f], false);
  assert.equal(text, [
    '# HELP lat Latency.',
    '# TYPE lat histogram',
    'lat_bucket{z="a",le="+Inf"} 0',
    'lat_sum{z="a"} 0',
    'lat_count{z="a"} 0',
    'lat_bucket{z="b",le="1"} 1',
    'lat_bucket{z="b",le="+Inf"} 2',
    'lat_sum{z="b"} 3',
    'lat_count{z="b"} 2',
    '',
  ].join('\n'));
});

test('uniqueSortedSamples: label name order does not make a different series; sorted input passes through', () => {
  const a = { labels: { b: '1', a: '2' }, value: 1 };
  const b = { labels: { a: '2', b: '1' }, value: 2 };
  const c = { labels: { a: '1', b: '9' }, value: 3 };
  assert.deepEqual(uniqueSortedSamples([a, b, c]), { samples: [c, a], duplicates: 1 });
  const sorted = [c, b];
  const out = uniqueSortedSamples(sorted);
  assert.deepEqual(out, { samples: [c, b], duplicates: 0 });
  assert.notEqual(out.samples, sorted); // a copy: callers may keep building theirs
  // A value prefix of another still sorts first, as Go's registry sorts it.
  const short = { labels: { device: 'sd' }, value: 0 };
  const long = { labels: { device: 'sda' }, value: 0 };
  assert.deepEqual(uniqueSortedSamples([long, short]).samples, [short, long]);
});
