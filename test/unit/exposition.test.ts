import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Desc, DescTable, newDesc } from '../../src/exposition/desc.js';
import { goFloat, openMetricsFloat } from '../../src/exposition/number.js';
import { encodeOpenMetrics } from '../../src/exposition/openmetrics.js';
import { encodeProtobuf } from '../../src/exposition/protobuf.js';
import { escapeName, nextSeriesGeneration } from '../../src/exposition/series.js';
import { CollectorSink, SinkLayout } from '../../src/exposition/sink.js';
import { assemble, type SnapshotFamily } from '../../src/exposition/snapshot.js';
import { encodeText } from '../../src/exposition/text.js';
import { decodeDelimited } from '../helpers/metric-family-proto.js';
import { repoRoot } from '../helpers/repo.js';

test("numbers as Go's strconv.FormatFloat(v, 'g', -1, 64) spells them", () => {
  const cases: [number, string][] = [
    [0, '0'],
    [-0, '0'],
    [1, '1'],
    [-1, '-1'],
    [0.1, '0.1'],
    [1.5, '1.5'],
    [42, '42'],
    [123456, '123456'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [25276502016, '2.5276502016e+10'],
    [2 ** 53 + 2, '9.007199254740994e+15'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [-2.5e-5, '-2.5e-05'],
    [1.5e-7, '1.5e-07'],
    [5e-324, '5e-324'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) assert.equal(goFloat(v), want, String(v));
});

test('OpenMetrics numbers: Go\'s, with ".0" on integral values', () => {
  const cases: [number, string][] = [
    [0, '0.0'],
    [1, '1.0'],
    [-1, '-1.0'],
    [42, '42.0'],
    [1.5, '1.5'],
    [1e6, '1e+06'],
    [NaN, 'NaN'],
    [-Infinity, '-Inf'],
  ];
  for (const [v, want] of cases) assert.equal(openMetricsFloat(v), want, String(v));
});

const join = (chunks: Iterable<Buffer>) => Buffer.concat([...chunks]).toString('utf8');

function snapshot(...sinks: [string, CollectorSink][]): SnapshotFamily[] {
  const said: string[] = [];
  return assemble(
    sinks.map(([name, sink]) => ({ name, sink })),
    {
      conflict: (family, type, kept, collector) => said.push(`${family} ${type} ${kept} ${collector}`),
      duplicates: (family, n) => said.push(`${family} dup ${n}`),
    },
  );
}

const temp = newDesc('test_temp_celsius', 'Temperature "now",\nin \\ degrees.', 'gauge', ['zone', 'chip']);
const bytes = newDesc('test_bytes_total', 'Bytes.', 'counter', ['device']);
const errs = newDesc('test_errors', 'Errors (a counter without _total).', 'counter');
const raw = newDesc('test_raw', 'Untyped.', 'untyped');

function sample(): SnapshotFamily[] {
  const a = new CollectorSink();
  a.add(temp, 40.5, 'b', 'x');
  a.add(temp, 1e6, 'a"q\\\n', 'y');
  a.add(temp, 99, 'b', 'x'); // a duplicate: the first one wins
  a.add(bytes, 25276502016, 'eth0');
  a.add(raw, NaN);
  const b = new CollectorSink();
  b.add(errs, 3);
  b.add(newDesc('test_bytes_total', 'Bytes.', 'gauge', ['device']), 1, 'eth1'); // the second type: dropped
  return snapshot(['a', a], ['b', b]);
}

test('text format: families by name, series by label values in label-name order, duplicates dropped, escaping', () => {
  assert.equal(
    join(encodeText(sample())),
    [
      '# HELP test_bytes_total Bytes.',
      '# TYPE test_bytes_total counter',
      'test_bytes_total{device="eth0"} 2.5276502016e+10',
      '# HELP test_errors Errors (a counter without _total).',
      '# TYPE test_errors counter',
      'test_errors 3',
      '# HELP test_raw Untyped.',
      '# TYPE test_raw untyped',
      'test_raw NaN',
      '# HELP test_temp_celsius Temperature "now",\\nin \\\\ degrees.',
      '# TYPE test_temp_celsius gauge',
      'test_temp_celsius{chip="x",zone="b"} 40.5',
      'test_temp_celsius{chip="y",zone="a\\"q\\\\\\n"} 1e+06',
      '',
    ].join('\n'),
  );
});

test('series written out of order: sorted every scrape, also when the order found last scrape no longer holds', () => {
  const d = newDesc('test_order_info', 'Order.', 'gauge', ['dev']);
  const scrapeOf = (...devs: string[]) => {
    nextSeriesGeneration();
    const s = new CollectorSink();
    for (const dev of devs) s.add(d, 1, dev);
    return join(encodeText(snapshot(['a', s])))
      .split('\n')
      .filter((l) => l.startsWith('test_order_info{'))
      .map((l) => l.slice('test_order_info{dev="'.length, l.indexOf('"}')));
  };
  // The same series in the same order (the Desc's kept order is reused), then other orders,
  // other series and duplicates: each must come out sorted and de-duplicated.
  assert.deepEqual(scrapeOf('c', 'a', 'b'), ['a', 'b', 'c']);
  assert.deepEqual(scrapeOf('c', 'a', 'b'), ['a', 'b', 'c']);
  assert.deepEqual(scrapeOf('b', 'c', 'a'), ['a', 'b', 'c']);
  assert.deepEqual(scrapeOf('c', 'a', 'b', 'a'), ['a', 'b', 'c']);
  assert.deepEqual(scrapeOf('c', 'a', 'd'), ['a', 'c', 'd']);
  assert.deepEqual(scrapeOf('c', 'a'), ['a', 'c']);
  assert.deepEqual(scrapeOf('c', 'a', 'b'), ['a', 'b', 'c']);
});

for (const [how, layout] of [
  ['without a layout', () => undefined],
  ['with a layout kept from another sink that wrote in another order', () => warmLayout(new SinkLayout())],
  ['with a layout that filled up after 7 names', () => warmLayout(new SinkLayout(7))],
] as const) {
  test(`a sink groups by family name (${how}): interleaved writes, two Descs of one name, a second type dropped, many families`, () => {
    sinkGrouping(layout());
  });
}

/** A layout that has seen some of the names below, and others, in another order. */
function warmLayout(layout: SinkLayout): SinkLayout {
  const sink = new CollectorSink(layout);
  for (const i of [9, 3, 17, 0, 42, 5]) sink.add(newDesc(`test_many_${String(i).padStart(2, '0')}`, 'Many.', 'gauge', ['k']), 1, 'w');
  return layout;
}

function sinkGrouping(layout: SinkLayout | undefined): void {
  const sink = new CollectorSink(layout);
  const many = Array.from({ length: 20 }, (_, i) => newDesc(`test_many_${String(i).padStart(2, '0')}`, 'Many.', 'gauge', ['k']));
  const twin = newDesc('test_many_03', 'Many.', 'gauge', ['k']); // same name and type: the same family
  const clash = newDesc('test_many_05', 'Many.', 'counter', ['k']); // same name, another type: dropped
  for (let round = 0; round < 3; round++) {
    for (const d of many) sink.add(d, round, `r${round}`);
    sink.add(twin, 100 + round, `t${round}`);
    sink.add(clash, 1, `c${round}`);
  }
  assert.equal(sink.list.length, 20);
  assert.deepEqual(
    sink.conflicts.map((c) => `${c.name} ${c.type} ${c.kept}`),
    ['test_many_05 counter gauge'],
  );
  const text = join(encodeText(snapshot(['a', sink])));
  assert.equal((text.match(/^test_many_\d+\{/gm) ?? []).length, 20 * 3 + 3);
  assert.match(text, /^test_many_03\{k="t2"\} 102$/m);
  assert.doesNotMatch(text, /k="c\d"/);
  // A second sink does not see the first one's families, even for the same Descs.
  const other = new CollectorSink();
  other.add(many[0] as Desc, 7, 'x');
  assert.equal(other.list.length, 1);
  assert.equal(other.list[0]?.size, 1);
  assert.equal(sink.list[0]?.size, 3);
  for (const d of many) assert.equal(sink.get(d.name)?.size, d.name === 'test_many_03' ? 6 : 3, d.name);
  assert.equal(sink.get('test_many_99'), undefined);
}

test('OpenMetrics: _total counters named without it in HELP/TYPE, other counters and untyped unknown, quotes escaped in HELP, # EOF', () => {
  assert.equal(
    join(encodeOpenMetrics(sample())),
    [
      '# HELP test_bytes Bytes.',
      '# TYPE test_bytes counter',
      'test_bytes_total{device="eth0"} 2.5276502016e+10',
      '# HELP test_errors Errors (a counter without _total).',
      '# TYPE test_errors unknown',
      'test_errors 3.0',
      '# HELP test_raw Untyped.',
      '# TYPE test_raw unknown',
      'test_raw NaN',
      '# HELP test_temp_celsius Temperature \\"now\\",\\nin \\\\ degrees.',
      '# TYPE test_temp_celsius gauge',
      'test_temp_celsius{chip="x",zone="b"} 40.5',
      'test_temp_celsius{chip="y",zone="a\\"q\\\\\\n"} 1e+06',
      '# EOF',
      '',
    ].join('\n'),
  );
});

const latency = newDesc('test_latency_seconds', 'Latency.', 'summary', ['job']);
const sizes = newDesc('test_size_bytes', 'Sizes.', 'histogram', ['job']);

function complexSample(): SnapshotFamily[] {
  const s = new CollectorSink();
  s.addSummary(
    latency,
    {
      count: 7,
      sum: 12.5,
      quantiles: [
        [0.5, 1],
        [0.99, 4.25],
      ],
    },
    'b',
  );
  s.addHistogram(
    sizes,
    {
      count: 5,
      sum: 900,
      buckets: [
        [100, 2],
        [1000, 5],
      ],
    },
    'a',
  );
  return snapshot(['s', s]);
}

test('summaries and histograms: quantile/le last, _sum and _count, a +Inf bucket when missing', () => {
  assert.equal(
    join(encodeText(complexSample())),
    [
      '# HELP test_latency_seconds Latency.',
      '# TYPE test_latency_seconds summary',
      'test_latency_seconds{job="b",quantile="0.5"} 1',
      'test_latency_seconds{job="b",quantile="0.99"} 4.25',
      'test_latency_seconds_sum{job="b"} 12.5',
      'test_latency_seconds_count{job="b"} 7',
      '# HELP test_size_bytes Sizes.',
      '# TYPE test_size_bytes histogram',
      'test_size_bytes_bucket{job="a",le="100"} 2',
      'test_size_bytes_bucket{job="a",le="1000"} 5',
      'test_size_bytes_bucket{job="a",le="+Inf"} 5',
      'test_size_bytes_sum{job="a"} 900',
      'test_size_bytes_count{job="a"} 5',
      '',
    ].join('\n'),
  );
  const om = join(encodeOpenMetrics(complexSample()));
  assert.match(om, /^test_latency_seconds\{job="b",quantile="0\.5"\} 1\.0$/m);
  assert.match(om, /^test_latency_seconds_count\{job="b"\} 7$/m);
  assert.match(om, /^test_size_bytes_bucket\{job="a",le="100\.0"\} 2$/m);
  assert.match(om, /^test_size_bytes_sum\{job="a"\} 900\.0$/m);
});

test('a sink refuses a sample of the wrong kind or with the wrong number of label values', () => {
  const s = new CollectorSink();
  assert.throws(() => s.add(latency, 1, 'x'), TypeError);
  assert.throws(() => s.addSummary(temp, { count: 1, sum: 1, quantiles: [] }, 'a', 'b'), TypeError);
  assert.throws(() => s.add(temp, 1, 'only-one'), /1 label values for 2 label names/);
  assert.throws(() => newDesc('x', 'x', 'gauge', ['a', 'a']), /duplicate label name/);
});

test('series cache: a label set seen again is the same rendered series; one not seen for two scrapes leaves', () => {
  const d = new Desc('test_cache', 'Cache.', 'gauge', ['mountpoint']);
  const mounts = Array.from({ length: 20 }, (_, i) => `/mnt/${i}`);
  nextSeriesGeneration();
  const first = mounts.map((m) => d.seriesFor([m]));
  assert.equal(first[0]?.prefix, 'test_cache{mountpoint="/mnt/0"} ');
  nextSeriesGeneration();
  assert.deepEqual(
    mounts.map((m) => d.seriesFor([m])),
    first,
    'reused in the next scrape',
  );
  // Two scrapes with only one mount: the other 19 go.
  nextSeriesGeneration();
  d.seriesFor(['/mnt/0']);
  nextSeriesGeneration();
  assert.equal(d.seriesFor(['/mnt/0']), first[0], 'a series in use stays');
  assert.equal(d.series.size, 1, 'the unused ones left the cache');
  assert.notEqual(d.seriesFor(['/mnt/1']), first[1], 'and come back rebuilt');
});

test('series cache: bounded by about three scrapes of series, whatever the churn', () => {
  const d = new Desc('test_churn', 'Churn.', 'gauge', ['device', 'id']);
  for (let scrape = 0; scrape < 500; scrape++) {
    nextSeriesGeneration();
    for (let i = 0; i < 20; i++) d.seriesFor([`veth${scrape}-${i}`, String(i)]);
    for (let i = 0; i < 5; i++) d.seriesFor(['lo', String(i)]); // the stable ones
    assert.ok(d.series.size <= 3 * 25 + 8, `${d.series.size} cached at scrape ${scrape}`);
  }
});

test('series cache: concurrent scrapes keep the series of one still writing (each scrape starts a generation)', () => {
  const d = new Desc('test_concurrent', 'Concurrent.', 'gauge', ['cpu']);
  const layout = new SinkLayout();
  const cpus = Array.from({ length: 16 }, (_, i) => String(i));
  const write = () => {
    const sink = new CollectorSink(layout);
    for (const c of cpus) sink.add(d, 1, c);
    const buf = sink.get('test_concurrent');
    const series = Array.from({ length: buf?.size ?? 0 }, (_, i) => buf?.seriesAt(i));
    return { sink, series };
  };
  nextSeriesGeneration();
  const first = write();
  first.sink.release();
  // Eight scrapes start before any of them writes (a generation each), then each writes the
  // same series in turn, and gives its buffers back once its answer is sent.
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 8; i++) nextSeriesGeneration();
    const written = Array.from({ length: 8 }, write);
    for (const w of written) {
      assert.deepEqual(w.series, first.series, `round ${round}: the cached series, not made anew`);
      w.sink.release();
    }
  }
  assert.equal(d.series.size, cpus.length);
  // Still swept once a series stops coming back, however many generations passed between.
  for (let i = 0; i < 2; i++) {
    for (let g = 0; g < 8; g++) nextSeriesGeneration();
    const sink = new CollectorSink(layout);
    sink.add(d, 1, '0');
    sink.release();
  }
  assert.equal(d.series.size, 1, 'only the series still written stays');
  // A buffer that still holds a dropped series does not bring it back: written again, it is made anew.
  nextSeriesGeneration();
  const again = write();
  assert.equal(again.series[0], first.series[0]);
  assert.notEqual(again.series[1], first.series[1]);
  assert.equal(again.series[1], d.series.get('1'), 'the series served is the cached one');
});

test('series cache: a reused buffer recalls the series written at the same place last scrape, and only when they match', () => {
  const d = new Desc('test_recall', 'Recall.', 'gauge', ['device', 'mode']);
  const other = new Desc('test_recall', 'Recall, another Desc.', 'gauge', ['device', 'mode']);
  const layout = new SinkLayout();
  const scrape = (rows: [string, string][], desc = d) => {
    nextSeriesGeneration();
    const sink = new CollectorSink(layout);
    for (const [device, mode] of rows) sink.add(desc, 1, device, mode);
    const buf = sink.get('test_recall');
    const series = Array.from({ length: buf?.size ?? 0 }, (_, i) => buf?.seriesAt(i));
    sink.release();
    return series;
  };
  const rows: [string, string][] = [
    ['eth0', 'rx'],
    ['eth0', 'tx'],
    ['lo', 'rx'],
  ];
  const first = scrape(rows);
  assert.deepEqual(
    first.map((x) => x?.prefix),
    ['test_recall{device="eth0",mode="rx"} ', 'test_recall{device="eth0",mode="tx"} ', 'test_recall{device="lo",mode="rx"} '],
  );
  // The same rows: the same series objects, as the map lookup would give.
  assert.deepEqual(scrape(rows), first);
  // Another order and a new row: each still the series of its own labels.
  const moved = scrape([
    ['lo', 'rx'],
    ['eth1', 'rx'],
    ['eth0', 'rx'],
  ]);
  assert.equal(moved[0], first[2]);
  assert.equal(moved[1]?.prefix, 'test_recall{device="eth1",mode="rx"} ');
  assert.equal(moved[2], first[0]);
  // Recalled series count as used: enough of them that the cache sweeps, and after scrapes of
  // recall only none has left it.
  const many: [string, string][] = [...rows, ...Array.from({ length: 12 }, (_, i): [string, string] => [`veth${i}`, 'rx'])];
  const all = scrape(many);
  for (let i = 0; i < 4; i++) assert.deepEqual(scrape(many), all);
  assert.equal(d.series.get('eth0\u0000tx'), first[1], 'still cached');
  // A few rows for a few scrapes: the rest leave the cache, though the buffer still holds them
  // past its end. Written again, each is the cached series of its labels, not a recalled leftover.
  for (let i = 0; i < 3; i++) scrape(rows);
  const back = scrape(many);
  assert.ok(
    back.every((x, i) => x !== undefined && d.series.get(many[i]?.join('\u0000') ?? '') === x),
    'served series are the cached ones',
  );
  assert.notEqual(back[5], all[5], 'a series that left the cache is made anew');
  // Another Desc of the same name gets its own series, never the recalled ones of the first.
  const others = scrape(rows, other);
  assert.ok(others.every((x, i) => x !== first[i] && x?.prefix === first[i]?.prefix));
});

test('DescTable: the same Desc while name, help, type and label names hold; forgotten after two rounds unused', () => {
  const t = new DescTable();
  const a = t.get('x_total', 'X.', 'counter', ['a']);
  t.nextRound();
  assert.equal(t.get('x_total', 'X.', 'counter', ['a']), a);
  assert.notEqual(t.get('x_total', 'X.', 'counter', ['b']), a);
  assert.notEqual(t.get('x_total', 'Other help.', 'counter', ['a']), a);
  t.nextRound();
  t.nextRound();
  assert.notEqual(t.get('x_total', 'Other help.', 'counter', ['a']), a);
});

test('names that are not legacy names: escaped as the scraper asks (escaping=), underscores by default', () => {
  assert.equal(escapeName('node_load1', 'dots'), 'node_load1', 'legacy names never change');
  assert.equal(escapeName('my.metric-x', 'underscores'), 'my_metric_x');
  assert.equal(escapeName('my.metric_x', 'dots'), 'my_dot_metric__x');
  assert.equal(escapeName('my.metric_x', 'values'), 'U__my_2e_metric__x');
  assert.equal(escapeName('my.metric', 'allow-utf-8'), 'my.metric');
  const s = new CollectorSink();
  s.add(newDesc('app.requests', 'Requests.', 'counter', ['http.method']), 2, 'GET');
  const f = snapshot(['textfile', s]);
  assert.equal(join(encodeText(f)), '# HELP app_requests Requests.\n# TYPE app_requests counter\napp_requests{http_method="GET"} 2\n');
  assert.equal(join(encodeText(f, 'allow-utf-8')), '# HELP "app.requests" Requests.\n# TYPE "app.requests" counter\n{"app.requests","http.method"="GET"} 2\n');
  assert.equal(decodeDelimited(Buffer.concat([...encodeProtobuf(f)]))[0]?.name, 'app_requests');
  assert.equal(decodeDelimited(Buffer.concat([...encodeProtobuf(f, 'allow-utf-8')]))[0]?.metric[0]?.label?.[0]?.name, 'http.method');
});

test('protobuf delimited: what an independent decoder (protobufjs, our schema from metrics.proto) reads back', () => {
  const decoded = decodeDelimited(Buffer.concat([...encodeProtobuf([...sample(), ...complexSample()])]));
  assert.deepEqual(
    decoded.map((f) => [f.name, f.type]),
    [
      ['test_bytes_total', 'COUNTER'],
      ['test_errors', 'COUNTER'],
      ['test_raw', 'UNTYPED'],
      ['test_temp_celsius', 'GAUGE'],
      ['test_latency_seconds', 'SUMMARY'],
      ['test_size_bytes', 'HISTOGRAM'],
    ],
  );
  const [bytesF, errorsF, rawF, tempF, latencyF, sizesF] = decoded;
  assert.equal(bytesF?.help, 'Bytes.');
  assert.deepEqual(bytesF?.metric, [{ label: [{ name: 'device', value: 'eth0' }], counter: { value: 25276502016 } }]);
  assert.deepEqual(errorsF?.metric, [{ counter: { value: 3 } }]);
  assert.ok(Number.isNaN(rawF?.metric[0]?.untyped?.value));
  assert.equal(tempF?.help, 'Temperature "now",\nin \\ degrees.');
  assert.deepEqual(tempF?.metric, [
    {
      label: [
        { name: 'chip', value: 'x' },
        { name: 'zone', value: 'b' },
      ],
      gauge: { value: 40.5 },
    },
    {
      label: [
        { name: 'chip', value: 'y' },
        { name: 'zone', value: 'a"q\\\n' },
      ],
      gauge: { value: 1e6 },
    },
  ]);
  assert.deepEqual(latencyF?.metric[0]?.summary, {
    sampleCount: 7,
    sampleSum: 12.5,
    quantile: [
      { quantile: 0.5, value: 1 },
      { quantile: 0.99, value: 4.25 },
    ],
  });
  assert.deepEqual(sizesF?.metric[0]?.histogram, {
    sampleCount: 5,
    sampleSum: 900,
    bucket: [
      { cumulativeCount: 2, upperBound: 100 },
      { cumulativeCount: 5, upperBound: 1000 },
    ],
  });
});

test('large outputs come in chunks, and the chunks join to the same bytes', () => {
  const d = newDesc('test_many', 'Many.', 'gauge', ['i']);
  const s = new CollectorSink();
  for (let i = 0; i < 20_000; i++) s.add(d, i, String(i).padStart(6, '0'));
  const f = snapshot(['many', s]);
  const chunks = encodeText(f);
  assert.ok(chunks.length > 1);
  assert.ok(chunks.every((c) => c.length <= 64 * 1024));
  assert.equal(join(chunks).split('\n').length, 20_000 + 3);
  assert.equal(decodeDelimited(Buffer.concat([...encodeProtobuf(f)]))[0]?.metric.length, 20_000);
});

test('promtool check metrics accepts the text output', (t) => {
  if (spawnSync('promtool', ['--version']).error !== undefined) return t.skip('promtool not installed (Debian package prometheus; CI installs it)');
  const r = spawnSync('promtool', ['check', 'metrics'], { input: join(encodeText([...sample(), ...complexSample()])), encoding: 'utf8' });
  // test_errors is a counter without _total on purpose (the OpenMetrics rule above); only that lint.
  const problems = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  assert.deepEqual(problems, ['test_errors counter metrics should have "_total" suffix']);
});

test('sink: add takes up to four label values one by one; more, or an array, go through addv', () => {
  const four = new Desc('test_four', 'Four.', 'gauge', ['a', 'b', 'c', 'd']);
  const five = new Desc('test_five', 'Five.', 'gauge', ['a', 'b', 'c', 'd', 'e']);
  const sink = new CollectorSink();
  sink.add(four, 1, 'w', 'x', 'y', 'z');
  sink.addv(five, 2, ['v', 'w', 'x', 'y', 'z']);
  // Too few values is the error it always was.
  assert.throws(() => sink.add(five, 3, 'v', 'w', 'x', 'y'), /4 label values for 5 label names/);
  assert.equal(sink.get('test_four')?.seriesAt(0).prefix, 'test_four{a="w",b="x",c="y",d="z"} ');
  assert.equal(sink.get('test_five')?.seriesAt(0).prefix, 'test_five{a="v",b="w",c="x",d="y",e="z"} ');
});

test('sink: no call spreads label values into add (they would be cut at four: such calls use addv)', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const src = readFileSync(p, 'utf8');
        // .add( ... ) whose arguments, up to the closing parenthesis on the same call, spread an array.
        for (const m of src.matchAll(/\.add\(([^;]*?)\);/gs)) if (/(^|[,(\s])\.\.\.[\w([]/.test(m[1] ?? '')) offenders.push(`${path.relative(repoRoot, p)}: ${m[0].slice(0, 80)}`);
      }
    }
  };
  walk(path.join(repoRoot, 'src'));
  assert.deepEqual(offenders, []);
});
