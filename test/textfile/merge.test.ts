import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeTextfiles, type TextfileResult } from '../../src/textfile/merge.js';
import { parseTextFormat } from '../../src/textfile/parse.js';

const file = (name: string, text: string): TextfileResult => ({ file: name, families: parseTextFormat(text) });
const series = (r: ReturnType<typeof mergeTextfiles>) =>
  r.families.flatMap((f) => f.samples.map((s) => `${f.name}{${Object.entries(s.labels).sort().map(([k, v]) => `${k}=${v}`).join(',')}} ${s.value}`));

test('families of one name from several files: same HELP merges, missing HELP lists the files', () => {
  const same = mergeTextfiles([file('a.prom', '# HELP e Events.\ne{f="a"} 1\n'), file('b.prom', '# HELP e Events.\ne{f="b"} 2\n')]);
  assert.deepEqual(series(same), ['e{f=a} 1', 'e{f=b} 2']);
  assert.deepEqual(same.problems, []);
  const none = mergeTextfiles([file('d/a.prom', 'e{f="a"} 1\n'), file('d/b.prom', '# HELP e \ne{f="b"} 2\n')]);
  assert.deepEqual(none.families.map((f) => f.help), ['Metric read from d/a.prom, d/b.prom', 'Metric read from d/a.prom, d/b.prom']);
});

test('a different HELP drops that family and every later one of the name, with a scrape error', () => {
  const r = mergeTextfiles([
    file('a.prom', '# HELP e One.\ne{f="a"} 1\n'),
    file('b.prom', '# HELP e Two.\ne{f="b"} 2\n'),
    file('c.prom', '# HELP e One.\ne{f="c"} 3\n'),
  ]);
  assert.deepEqual(series(r), ['e{f=a} 1']);
  assert.deepEqual(r.problems.map((p) => [p.scrapeError, p.file]), [[true, 'b.prom'], [true, 'c.prom']]);
});

test('a different type, or a default HELP next to a given one, is dropped without a scrape error', () => {
  const r = mergeTextfiles([
    file('a.prom', '# TYPE q gauge\nq 1\n# HELP e Given.\ne{f="a"} 1\n'),
    file('b.prom', '# TYPE q counter\nq{x="y"} 2\ne{f="b"} 2\n'),
  ]);
  assert.deepEqual(series(r), ['q{} 1', 'e{f=a} 1']);
  assert.deepEqual(r.problems.map((p) => [p.scrapeError, p.metric]), [[false, 'q'], [false, 'e']]);
});

test('labels missing from some samples of a family become ""; __proto__ is an ordinary label', () => {
  const r = mergeTextfiles([file('a.prom', 'h{code="200",method="get"} 1\nh{code="200",foo="bar"} 2\nh{__proto__="x"} 3\n')]);
  assert.deepEqual(series(r), ['h{__proto__=,code=200,foo=,method=get} 1', 'h{__proto__=,code=200,foo=bar,method=} 2', 'h{__proto__=x,code=,foo=,method=} 3']);
});

test('file errors count; summaries are reported as unsupported, gauge histograms refused', () => {
  const r = mergeTextfiles([
    { file: 'bad.prom', error: new Error('parse error') },
    { ...file('s.prom', '# TYPE s summary\ns{quantile="0.5"} 1\n# TYPE g gaugehistogram\ng_bucket{le="+Inf"} 1\nok 1\n'), error: new Error('stat failed') },
  ]);
  assert.deepEqual(series(r), ['ok{} 1']);
  assert.deepEqual(r.unsupported, [{ metric: 's', file: 's.prom', type: 'summary' }]);
  assert.deepEqual(r.problems.map((p) => [p.scrapeError, p.file, p.metric]), [[true, 'bad.prom', undefined], [true, 's.prom', undefined], [true, 's.prom', 'g']]);
});
