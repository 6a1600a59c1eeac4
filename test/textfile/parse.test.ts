import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { parseSampleValue, parseTextFormat, type TextFamily } from '../../src/textfile/parse.js';
import { fixturePath } from '../helpers/repo.js';

/** name type help | labels=value ... per family, compactly. */
function brief(families: TextFamily[]): string[] {
  return families.map((f) => {
    const metrics = f.metrics.map((m) => `${m.labels.map(([k, v]) => `${k}=${v}`).join(',')}:${m.value ?? ''}${m.timestampMs === undefined ? '' : `@${m.timestampMs}`}`);
    return `${f.name} ${f.type} ${f.help ?? '-'} | ${metrics.join(' ')}`;
  });
}

const cases: { name: string; text: string; want?: string[]; error?: RegExp }[] = [
  { name: 'empty', text: '', want: [] },
  { name: 'comments, blank lines and HELP/TYPE without samples', text: '# hello\n\n   \n# HELP a b\n# TYPE a gauge\n#\n', want: [] },
  { name: 'truncated line: no newline at the end', text: 'a 1', error: /no newline/ },
  { name: 'trailing blanks without newline are fine', text: 'a 1\n  ', want: ['a untyped - | :1'] },
  { name: 'too few fields: name without value', text: 'a\n', error: /expected a float as value, got ""/ },
  { name: 'invalid number', text: 'a 1,5\n', error: /expected a float/ },
  { name: 'hex floats and underscores are refused', text: 'a 0x1p3\n', error: /expected a float/ },
  { name: 'trailing blank after the value', text: 'a 1 \n', error: /integer timestamp, got ""/ },
  { name: 'extra text after the timestamp', text: 'a 1 1000 x\n', error: /after the timestamp/ },
  { name: 'CR before the newline', text: 'a 1\r\n', error: /expected a float/ },
  { name: 'invalid label value escape', text: 'a{l="\\t"} 1\n', error: /escape/ },
  { name: 'unterminated label value', text: 'a{l="x} 1\n', error: /not terminated/ },
  { name: 'label without quotes', text: 'a{l=x} 1\n', error: /expected '"'/ },
  { name: 'duplicate label', text: 'a{l="1",l="2"} 1\n', error: /duplicate label/ },
  { name: 'reserved label', text: 'a{__name__="b"} 1\n', error: /reserved/ },
  { name: 'second TYPE', text: '# TYPE a gauge\n# TYPE a counter\n', error: /second TYPE/ },
  { name: 'TYPE after samples', text: 'a 1\n# TYPE a gauge\n', error: /TYPE reported after samples/ },
  { name: 'second HELP', text: '# HELP a x\n# HELP a y\n', error: /second HELP/ },
  { name: 'unknown type', text: '# TYPE a timer\n', error: /unknown metric type/ },
  { name: 'type with a trailing blank is unknown', text: '# TYPE a gauge \n', error: /unknown metric type/ },
  { name: 'invalid metric name', text: '1a 1\n', error: /invalid metric name/ },
  { name: 'invalid name in a comment', text: '# HELP 9a x\n', error: /invalid metric name in comment/ },
  { name: 'labels without a metric name', text: '{a="b"} 1\n', error: /invalid metric name/ },
  {
    name: 'valid: escapes, NaN/Inf, blanks in braces, type case, timestamps kept',
    text: '# HELP a Doc \\\\ and \\n and \\"q\\"\n# TYPE a Gauge\na{p="C:\\\\x",q="say \\"hi\\"\\nbye"} NaN\na { p = "y" , } +Inf 1715100000000\nb{} -Inf\n\tc:d 2.5e-3\n',
    want: ['a gauge Doc \\ and \n and "q" | p=C:\\x,q=say "hi"\nbye:NaN p=y:Infinity@1715100000000', 'b untyped - | :-Infinity', 'c:d untyped - | :0.0025'],
  },
  { name: 'valid: HELP with no text is no HELP; unknown comment keywords ignored', text: '# HELP a \n# FOO a bar\na 1\n', want: ['a untyped - | :1'] },
  { name: 'valid: quoted names', text: '{"a", l="1"} 1\n"b"{l="2"} 2\n', want: ['a untyped - | l=1:1', 'b untyped - | l=2:2'] },
  // UTF-8 names (node_exporter PR #3729): quoted, anything but an unescaped newline inside.
  { name: 'UTF-8: metric name inside the braces, quoted label name', text: '{"my.metric","label.name"="v"} 1\n', want: ['my.metric untyped - | label.name=v:1'] },
  { name: 'UTF-8: legacy metric name, quoted label name', text: 'my_metric{"label.name"="v",plain="p"} 1\n', want: ['my_metric untyped - | label.name=v,plain=p:1'] },
  {
    name: 'UTF-8: HELP and TYPE with quoted names; the quoted and bare spelling of a name are one family',
    text: '# HELP "my.metric" Doc with "quotes".\n# TYPE "my.metric" gauge\n{"my.metric"} 1\n# HELP "legacy_total" Bare.\n# TYPE legacy_total counter\nlegacy_total 2\n"legacy_total"{a="b"} 3\n',
    want: ['my.metric gauge Doc with "quotes". | :1', 'legacy_total counter Bare. | :2 a=b:3'],
  },
  { name: 'UTF-8: the metric name after labels, blanks around it', text: '{ "l.n" = "v" , "my.metric" , x="y" } 2\n', want: ['my.metric untyped - | l.n=v,x=y:2'] },
  {
    name: 'UTF-8: blanks, escapes and any script in quoted names',
    text: '{"temp °C", "ключ"="значение"} -3.5\n{"a\\"b\\\\c\\nd"} 1\n',
    want: ['temp °C untyped - | ключ=значение:-3.5', 'a"b\\c\nd untyped - | :1'],
  },
  { name: 'UTF-8: names that look like numbers or reserved prefixes', text: '{"1st", "0"="zero", "__meta"="m"} 1\n', want: ['1st untyped - | 0=zero,__meta=m:1'] },
  { name: 'UTF-8: a bare dotted name stops at the dot', text: 'my.metric 1\n', error: /expected a float as value, got ".metric"/ },
  { name: 'UTF-8: a bare dotted name in a comment', text: '# HELP my.metric Doc.\n', error: /invalid metric name in comment/ },
  { name: 'UTF-8: empty quoted metric name', text: '"" 1\n', error: /invalid metric name/ },
  { name: 'UTF-8: empty quoted metric name in TYPE', text: '# TYPE "" gauge\n', error: /invalid metric name ""/ },
  { name: 'UTF-8: empty quoted name in braces', text: '{""} 1\n', error: /invalid label name/ },
  { name: 'UTF-8: empty quoted label name', text: 'a{""="v"} 1\n', error: /invalid label name/ },
  { name: 'UTF-8: unterminated quoted name', text: '{"my.metric} 1\n', error: /not terminated/ },
  { name: 'UTF-8: invalid escape in a quoted name', text: '{"a\\tb"} 1\n', error: /invalid escape/ },
  { name: 'UTF-8: two metric names in the braces', text: '{"a","b"} 1\n', error: /expected "=" after label name "b"/ },
  { name: 'UTF-8: a metric name both before and inside the braces', text: 'a{"b"} 1\n', error: /expected "=" after label name "b"/ },
  { name: 'UTF-8: quoted __name__ is still reserved', text: 'a{"__name__"="b"} 1\n', error: /reserved/ },
  { name: 'UTF-8: quoted and bare spelling of one label are duplicates', text: 'a{l="1","l"="2"} 1\n', error: /duplicate label/ },
  { name: 'unknown extra families keep first-appearance order', text: 'z 1\na 2\nz{x="y"} 3\n', want: ['z untyped - | :1 x=y:3', 'a untyped - | :2'] },
];

for (const c of cases) {
  test(`parseTextFormat: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseTextFormat(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(brief(parseTextFormat(c.text)), c.want);
    }
  });
}

test('parseTextFormat: summaries group their lines by label set', () => {
  const [s] = parseTextFormat(
    '# TYPE rpc summary\nrpc{m="get",quantile="0.5"} 1\nrpc{quantile="0.9",m="get"} 2\nrpc_sum{m="get"} 30\nrpc_count{m="get"} 12.7\nrpc{m="put",quantile="0.5"} 4\nrpc_bucket{m="x"} 1\n',
  );
  assert.ok(s !== undefined);
  assert.equal(s.type, 'summary');
  assert.deepEqual(
    s.metrics.map((m) => [m.labels, m.summary]),
    [
      [
        [['m', 'get']],
        {
          count: 12,
          sum: 30,
          quantiles: [
            [0.5, 1],
            [0.9, 2],
          ],
        },
      ],
      [[['m', 'put']], { count: 0, sum: 0, quantiles: [[0.5, 4]] }],
    ],
  );
  assert.throws(() => parseTextFormat('# TYPE rpc summary\nrpc{quantile="high"} 1\n'), /quantile/);
});

test('parseTextFormat: histograms take _bucket/_sum/_count and refuse negative counts', () => {
  const families = parseTextFormat('# TYPE h histogram\nh_bucket{le="0.1"} 3\nh_bucket{le="+Inf"} 5\nh_sum 1.5\nh_count 5\n');
  assert.deepEqual(
    families.map((f) => [f.name, f.metrics[0]?.histogram]),
    [
      [
        'h',
        {
          count: 5,
          sum: 1.5,
          buckets: [
            [0.1, 3],
            [Infinity, 5],
          ],
        },
      ],
    ],
  );
  assert.throws(() => parseTextFormat('# TYPE h histogram\nh_count -1\n'), /negative count/);
  assert.throws(() => parseTextFormat('# TYPE h histogram\nh_bucket{le="1"} -2\n'), /negative bucket/);
  assert.throws(() => parseTextFormat('# TYPE h histogram\nh_bucket{le="x"} 1\n'), /"le"/);
  // Without a histogram family, h_count is a family of its own.
  assert.deepEqual(
    parseTextFormat('h_count 1\n').map((f) => f.name),
    ['h_count'],
  );
});

test('parseTextFormat: summaries and histograms with UTF-8 names find their _sum, _count and _bucket lines', () => {
  const families = parseTextFormat(
    [
      '# TYPE "rpc.seconds" summary',
      '{"rpc.seconds","rpc.method"="get",quantile="0.5"} 0.25',
      '{"rpc.seconds_sum","rpc.method"="get"} 30',
      '"rpc.seconds_count"{"rpc.method"="get"} 120',
      '# TYPE "http.duration" histogram',
      '{"http.duration_bucket","http.route"="/",le="0.1"} 4',
      '{"http.duration_bucket","http.route"="/","le"="+Inf"} 5',
      '{"http.duration_count","http.route"="/"} 5',
      '{"http.duration_sum","http.route"="/"} 1.5',
      '',
    ].join('\n'),
  );
  assert.deepEqual(
    families.map((f) => [f.name, f.type, f.metrics.map((m) => [m.labels, m.summary ?? m.histogram])]),
    [
      ['rpc.seconds', 'summary', [[[['rpc.method', 'get']], { count: 120, sum: 30, quantiles: [[0.5, 0.25]] }]]],
      [
        'http.duration',
        'histogram',
        [
          [
            [['http.route', '/']],
            {
              count: 5,
              sum: 1.5,
              buckets: [
                [0.1, 4],
                [Infinity, 5],
              ],
            },
          ],
        ],
      ],
    ],
  );
});

test('parseSampleValue', () => {
  assert.equal(parseSampleValue('-1.5e3'), -1500);
  assert.equal(parseSampleValue('Inf'), Infinity);
  assert.equal(parseSampleValue('1_0'), undefined);
  assert.equal(parseSampleValue('1e999'), undefined);
});

test('the error names the line', () => {
  try {
    parseTextFormat('a 1\nb{x="1"} 2\nc{x="1" y="2"} 3\n');
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 3);
    assert.equal(err.line, 'c{x="1" y="2"} 3');
  }
});

test('fixture textfiles', async () => {
  const backup = await readAndParse(fixturePath('textfile', 'good', 'backup.prom'), parseTextFormat);
  assert.deepEqual(
    backup.map((f) => [f.name, f.type, f.metrics.length]),
    [
      ['backup_runs_total', 'counter', 3],
      ['backup_last_size_bytes', 'gauge', 3],
      ['backup_lag_seconds', 'untyped', 1],
      ['backup_headroom_seconds', 'untyped', 1],
    ],
  );
  assert.equal(backup[0]?.help, 'Backup runs by \\ result,\nper target.');
  assert.deepEqual(backup[1]?.metrics[2]?.labels, [
    ['target', 'C:\\share'],
    ['note', 'said "partial"\nthen done'],
  ]);
  const raid = await readAndParse(fixturePath('textfile', 'good', 'raid.prom'), parseTextFormat);
  assert.equal(raid.find((f) => f.name === 'raid_sync_speed_bytes')?.help, undefined);
  await assert.rejects(readAndParse(fixturePath('textfile', 'bad', 'broken.prom'), parseTextFormat), /broken\.prom:3: label value/);
  await assert.rejects(readAndParse(fixturePath('textfile', 'bad', 'cutoff.prom'), parseTextFormat), /no newline/);
  const stamped = await readAndParse(fixturePath('textfile', 'bad', 'stamped.prom'), parseTextFormat);
  assert.equal(stamped[0]?.metrics[0]?.timestampMs, 1715100000000);
});
