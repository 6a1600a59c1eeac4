import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeTextfiles, type TextfileResult } from '../../src/textfile/merge.js';
import { parseTextFormat } from '../../src/textfile/parse.js';
import { formatGoFloat } from '../../src/procfs/go-number.js';

const file = (name: string, text: string): TextfileResult => ({ file: name, families: parseTextFormat(text) });
/** The merged families as the text format's sample lines would be (labels sorted, values as JS prints them). */
const series = (r: ReturnType<typeof mergeTextfiles>) =>
  r.families.flatMap((f) =>
    f.series.flatMap(({ labelValues, value }) => {
      const labels = f.labelNames.map((n, i): [string, string] => [n, labelValues[i] ?? '']);
      const line = (suffix: string, v: number, extra?: [string, number]) =>
        `${f.name}${suffix}{${[...labels, ...(extra === undefined ? [] : [[extra[0], formatGoFloat(extra[1])]])]
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}} ${v}`;
      if (typeof value === 'number') return [line('', value)];
      const points = 'quantiles' in value ? value.quantiles.map(([q, v]) => line('', v, ['quantile', q])) : value.buckets.map(([le, c]) => line('_bucket', c, ['le', le]));
      return [...points, line('_sum', value.sum), line('_count', value.count)];
    }),
  );

test('families of one name from several files: same HELP merges, missing HELP lists the files', () => {
  const same = mergeTextfiles([file('a.prom', '# HELP e Events.\ne{f="a"} 1\n'), file('b.prom', '# HELP e Events.\ne{f="b"} 2\n')]);
  assert.deepEqual(series(same), ['e{f=a} 1', 'e{f=b} 2']);
  assert.deepEqual(same.problems, []);
  const none = mergeTextfiles([file('d/a.prom', 'e{f="a"} 1\n'), file('d/b.prom', '# HELP e \ne{f="b"} 2\n')]);
  assert.deepEqual(
    none.families.map((f) => f.help),
    ['Metric read from d/a.prom, d/b.prom', 'Metric read from d/a.prom, d/b.prom'],
  );
});

test('a different HELP drops that family and every later one of the name, with a scrape error', () => {
  const r = mergeTextfiles([file('a.prom', '# HELP e One.\ne{f="a"} 1\n'), file('b.prom', '# HELP e Two.\ne{f="b"} 2\n'), file('c.prom', '# HELP e One.\ne{f="c"} 3\n')]);
  assert.deepEqual(series(r), ['e{f=a} 1']);
  assert.deepEqual(
    r.problems.map((p) => [p.scrapeError, p.file]),
    [
      [true, 'b.prom'],
      [true, 'c.prom'],
    ],
  );
});

test('a different type, or a default HELP next to a given one, is dropped without a scrape error', () => {
  const r = mergeTextfiles([file('a.prom', '# TYPE q gauge\nq 1\n# HELP e Given.\ne{f="a"} 1\n'), file('b.prom', '# TYPE q counter\nq{x="y"} 2\ne{f="b"} 2\n')]);
  assert.deepEqual(series(r), ['q{} 1', 'e{f=a} 1']);
  assert.deepEqual(
    r.problems.map((p) => [p.scrapeError, p.metric]),
    [
      [false, 'q'],
      [false, 'e'],
    ],
  );
});

test('labels missing from some samples of a family become ""; __proto__ is an ordinary label', () => {
  const r = mergeTextfiles([file('a.prom', 'h{code="200",method="get"} 1\nh{code="200",foo="bar"} 2\nh{__proto__="x"} 3\n')]);
  assert.deepEqual(series(r), ['h{__proto__=,code=200,foo=,method=get} 1', 'h{__proto__=,code=200,foo=bar,method=} 2', 'h{__proto__=x,code=,foo=,method=} 3']);
});

test('file errors count; gauge histograms are refused', () => {
  const r = mergeTextfiles([
    { file: 'bad.prom', error: new Error('parse error') },
    { ...file('s.prom', '# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 1\nok 1\n'), error: new Error('stat failed') },
  ]);
  assert.deepEqual(series(r), ['ok{} 1']);
  assert.deepEqual(
    r.problems.map((p) => [p.scrapeError, p.file, p.metric]),
    [
      [true, 'bad.prom', undefined],
      [true, 's.prom', undefined],
      [true, 's.prom', 'g'],
    ],
  );
});

test('summaries: quantiles ascending (a repeated one: the last wins), then _sum and _count; missing labels ""', () => {
  const r = mergeTextfiles([
    file(
      's.prom',
      [
        '# TYPE rpc summary',
        'rpc{m="get",quantile="0.99"} 9',
        'rpc{m="get",quantile="0.5"} 5',
        'rpc{m="get",quantile="0.5"} 6',
        'rpc_sum{m="get"} 30.5',
        'rpc_count{m="get"} 12',
        'rpc{host="a",quantile="0.00001"} 1',
        '',
      ].join('\n'),
    ),
  ]);
  assert.equal(r.families[0]?.type, 'summary');
  assert.deepEqual(
    series(r),
    [
      'rpc{m=get,quantile=0.5} 6',
      'rpc{m=get,quantile=0.99} 9',
      'rpc_sum{m=get} 30.5',
      'rpc_count{m=get} 12',
      'rpc{host=a,m=,quantile=1e-05} 1',
      'rpc_sum{host=a,m=} 0',
      'rpc_count{host=a,m=} 0',
    ].map((l) => l.replace('{m=get', '{host=,m=get')),
  );
});

test('histograms: buckets ascending with +Inf added from the count when absent, then _sum and _count', () => {
  const r = mergeTextfiles([file('h.prom', ['# TYPE lat histogram', 'lat_bucket{le="1e6"} 7', 'lat_bucket{le="0.5"} 3', 'lat_sum 12.25', 'lat_count 9', ''].join('\n'))]);
  assert.deepEqual(series(r), ['lat_bucket{le=0.5} 3', 'lat_bucket{le=1e+06} 7', 'lat_bucket{le=+Inf} 9', 'lat_sum{} 12.25', 'lat_count{} 9']);
  // An explicit +Inf bucket is kept, not doubled.
  const inf = mergeTextfiles([file('h.prom', '# TYPE h histogram\nh_bucket{le="+Inf"} 4\nh_bucket{le="1"} 2\nh_count 5\n')]);
  assert.deepEqual(series(inf), ['h_bucket{le=1} 2', 'h_bucket{le=+Inf} 4', 'h_sum{} 0', 'h_count{} 5']);
  // A fractional count anywhere: node_exporter's collector reads every count as 0.
  const frac = mergeTextfiles([file('h.prom', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_count 2.5\nh_sum 1\n')]);
  assert.deepEqual(series(frac), ['h_bucket{le=1} 0', 'h_bucket{le=+Inf} 0', 'h_sum{} 1', 'h_count{} 0']);
});
