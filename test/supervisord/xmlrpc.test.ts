import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParseError } from '../../src/procfs/parse-error.js';
import { buildMethodCall, parseMethodResponse, parseXml, type XmlRpcResponse, type XmlRpcValue } from '../../src/supervisord/xmlrpc.js';
import { faultResponse, processInfoResponse, SAMPLE_PROCESSES } from '../helpers/fake-supervisord.js';

const wrap = (value: string): string => `<?xml version="1.0"?><methodResponse><params><param><value>${value}</value></param></params></methodResponse>`;
const ok = (value: XmlRpcValue): XmlRpcResponse => ({ kind: 'value', value });
const int = (value: number): XmlRpcValue => ({ kind: 'int', value });
const str = (value: string): XmlRpcValue => ({ kind: 'string', value });

const cases: { name: string; text: string; want?: XmlRpcResponse; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /no XML element/ },
  { name: 'not XML', text: 'Unauthorized\n', error: /text outside the root element/ },
  { name: 'truncated document', text: wrap('<int>1</int>').slice(0, -17), error: /<methodResponse> is never closed/ },
  { name: 'truncated mid-tag', text: wrap('<int>1</int>').slice(0, -20), error: /malformed end tag/ },
  { name: 'truncated tag', text: '<methodResponse><params', error: /malformed start tag/ },
  { name: 'mismatched end tag', text: wrap('<int>1</i4>'), error: /<\/i4> does not match <int>/ },
  { name: 'two roots', text: `${wrap('<int>1</int>')}<x/>`, error: /more than one root/ },
  { name: 'a DTD is refused', text: `<!DOCTYPE x [<!ENTITY a "b">]>${wrap('<int>1</int>')}`, error: /document type/ },
  { name: 'unknown entity', text: wrap('<string>&nbsp;</string>'), error: /unknown entity &nbsp;/ },
  { name: 'bare ampersand', text: wrap('<string>a & b</string>'), error: /unterminated entity/ },
  { name: 'wrong root', text: '<methodCall/>', error: /want <methodResponse>/ },
  { name: 'no params', text: '<methodResponse></methodResponse>', error: /exactly one element/ },
  { name: 'two params', text: '<methodResponse><params><param><value/></param><param><value/></param></params></methodResponse>', error: /exactly one <param>/ },
  { name: 'invalid int', text: wrap('<int>12x</int>'), error: /invalid <int> "12x"/ },
  { name: 'int with a fraction', text: wrap('<i4>1.5</i4>'), error: /invalid <i4>/ },
  { name: 'invalid boolean', text: wrap('<boolean>yes</boolean>'), error: /invalid <boolean>/ },
  { name: 'invalid double', text: wrap('<double>1e</double>'), error: /invalid <double>/ },
  { name: 'unknown type', text: wrap('<long>1</long>'), error: /unknown XML-RPC type <long>/ },
  { name: 'array without data', text: wrap('<array><value/></array>'), error: /exactly one <data>/ },
  { name: 'struct member without value', text: wrap('<struct><member><name>a</name></member></struct>'), error: /struct member/ },
  {
    name: 'fault without faultString',
    text: '<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member></struct></value></fault></methodResponse>',
    error: /faultCode \(int\) and faultString/,
  },
  {
    name: 'int types and signs',
    text: wrap('<array><data><value><int> 7 </int></value><value><i4>-3</i4></value><value><i8>+9007199254740993</i8></value></data></array>'),
    want: ok({ kind: 'array', items: [int(7), int(-3), int(9007199254740993)] }),
  },
  { name: 'untyped value is a string, whitespace kept', text: wrap(' plain text '), want: ok(str(' plain text ')) },
  {
    name: 'entities, character references, CDATA, comments',
    text: wrap('<string>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#233;&#x1F600; <![CDATA[<raw & kept>]]><!-- dropped --></string>'),
    want: ok(str('<a> & "b" \'c\' é😀 <raw & kept>')),
  },
  {
    name: 'booleans, double, nil, dateTime, base64, empty string',
    text: wrap(
      '<array><data><value><boolean>1</boolean></value><value><boolean>false</boolean></value><value><double>-1.5e3</double></value><value><nil/></value><value><dateTime.iso8601>20241124T12:00:00</dateTime.iso8601></value><value><base64>aGk=</base64></value><value><string/></value></data></array>',
    ),
    want: ok({
      kind: 'array',
      items: [
        { kind: 'boolean', value: true },
        { kind: 'boolean', value: false },
        { kind: 'double', value: -1500 },
        { kind: 'nil' },
        { kind: 'dateTime', value: '20241124T12:00:00' },
        { kind: 'base64', value: 'aGk=' },
        str(''),
      ],
    }),
  },
  { name: 'empty array', text: wrap('<array><data></data></array>'), want: ok({ kind: 'array', items: [] }) },
  {
    name: 'struct, attributes and a BOM ignored',
    text: `\uFEFF<?xml version='1.0' encoding='utf-8'?>\n<methodResponse>\n<params>\n<param>\n<value><struct a="1">\n<member>\n<name>n</name>\n<value><int>1</int></value>\n</member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n`,
    want: ok({ kind: 'struct', members: new Map([['n', int(1)]]) }),
  },
  { name: 'fault', text: faultResponse(1, 'UNKNOWN_METHOD'), want: { kind: 'fault', code: 1, message: 'UNKNOWN_METHOD' } },
];

for (const c of cases) {
  test(`parseMethodResponse: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseMethodResponse(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseMethodResponse(c.text), c.want);
    }
  });
}

test('parseMethodResponse: an error names the line', () => {
  try {
    parseMethodResponse('<methodResponse>\n<params>\n<param><value><int>x</int></value></param>\n</params>\n</methodResponse>');
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 3);
    assert.equal(err.line, '<param><value><int>x</int></value></param>');
  }
});

test('parseMethodResponse: a getAllProcessInfo answer as supervisord lays it out', () => {
  const r = parseMethodResponse(processInfoResponse(SAMPLE_PROCESSES));
  assert.equal(r.kind, 'value');
  assert.ok(r.kind === 'value' && r.value.kind === 'array');
  assert.equal(r.value.items.length, SAMPLE_PROCESSES.length);
  const last = r.value.items[SAMPLE_PROCESSES.length - 1];
  assert.ok(last?.kind === 'struct');
  assert.deepEqual(last.members.get('name'), str('odd "name" & <tag>'));
  assert.deepEqual(last.members.get('state'), int(1000));
});

test('buildMethodCall: escapes, and round-trips through parseXml', () => {
  const body = buildMethodCall('a<b', [
    str('x&"y"'),
    int(3),
    { kind: 'array', items: [{ kind: 'boolean', value: true }] },
    { kind: 'struct', members: new Map([['k', { kind: 'nil' }]]) },
  ]);
  assert.match(body, /^<\?xml version="1\.0"\?>\n<methodCall><methodName>a&lt;b<\/methodName>/);
  const root = parseXml(body);
  assert.equal(root.name, 'methodCall');
  assert.deepEqual(
    root.children.map((c) => c.name),
    ['methodName', 'params'],
  );
  assert.equal(root.children[0]?.text, 'a<b');
  assert.equal(root.children[1]?.children.length, 4);
  assert.equal(
    buildMethodCall('supervisor.getAllProcessInfo'),
    '<?xml version="1.0"?>\n<methodCall><methodName>supervisor.getAllProcessInfo</methodName><params></params></methodCall>\n',
  );
});
