import { test } from 'node:test';
import assert from 'node:assert/strict';
import { osVersion, parseOsRelease, supportEndSeconds } from '../../src/etc/os-release.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const cases: { name: string; text: string; want?: Record<string, string>; error?: RegExp }[] = [
  { name: 'empty', text: '', want: {} },
  { name: 'comments and blank lines', text: '# a comment\n\n   \n  # indented comment\nID=debian\n', want: { ID: 'debian' } },
  { name: 'truncated line: no "="', text: 'ID=debian\nNAME', error: /missing "="/ },
  { name: 'empty key', text: '="x"', error: /invalid key ""/ },
  { name: 'key starting with a digit', text: '1ID=x', error: /invalid key/ },
  { name: 'key with a dash', text: 'VERSION-ID=1', error: /invalid key/ },
  { name: 'unmatched double quote', text: 'NAME="Debian', error: /unmatched "/ },
  { name: 'unmatched single quote', text: "NAME='Debian", error: /unmatched '/ },
  { name: 'unknown escape', text: 'NAME="a\\qb"', error: /invalid escape sequence \\q/ },
  { name: 'backslash at the end', text: 'NAME="a\\', error: /incomplete escape/ },
  { name: 'tab inside a value', text: 'NAME="a\tb"', error: /control character 0x09/ },
  { name: 'half a surrogate pair', text: 'NAME="\\ud83d"', error: /surrogate/ },
  { name: 'short \\u escape', text: 'NAME="\\u00e"', error: /incomplete \\u/ },
  {
    name: 'quoting and escapes',
    text: [
      'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
      "SINGLE='no \\n escapes in here'",
      'DOUBLE="say \\"hi\\" \\\\ \\$HOME \\` \\/ \\n"',
      'JOINED="a"\'b\'c',
      'UNICODE="caf\\u00e9 \\ud83d\\ude00"',
    ].join('\n'),
    want: {
      PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)',
      SINGLE: 'no \\n escapes in here',
      DOUBLE: 'say "hi" \\ $HOME ` / \n',
      JOINED: 'abc',
      UNICODE: 'café 😀',
    },
  },
  {
    name: 'what envparse tolerates',
    text: 'export ID=debian\r\n  NAME = Debian GNU/Linux   # trailing comment\r\nVERSION="12" # comment\nCUT=a#b\nexport=yes\n',
    want: { ID: 'debian', NAME: 'Debian GNU/Linux', VERSION: '12', CUT: 'a', export: 'yes' },
  },
  { name: 'empty values are left out', text: 'VARIANT=\nVARIANT_ID=""\nBUILD_ID=# none\nID=x', want: { ID: 'x' } },
  { name: 'a leading byte-order mark is ignored', text: '\uFEFFID=x\n', want: { ID: 'x' } },
  { name: 'the last of a repeated key wins', text: 'ID=first\nID=second', want: { ID: 'second' } },
];

for (const c of cases) {
  test(`parseOsRelease: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseOsRelease(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual({ ...parseOsRelease(c.text) }, c.want);
    }
  });
}

test('parseOsRelease: a key named __proto__ is an ordinary key', () => {
  const env = parseOsRelease('__proto__=x');
  // biome-ignore lint/suspicious/noProto: the point of the test is a key with that name
  assert.equal(env.__proto__, 'x');
  assert.deepEqual(Object.keys(env), ['__proto__']);
});

test('parseOsRelease: the error names the line', () => {
  try {
    parseOsRelease('ID=debian\n\nNAME="Debian');
    assert.fail('expected a ParseError');
  } catch (err) {
    assert.ok(err instanceof ParseError);
    assert.equal(err.lineNumber, 3);
    assert.equal(err.line, 'NAME="Debian');
  }
});

test('osVersion takes the leading major[.minor]', () => {
  const rows: [string, number | undefined][] = [
    ['24.04', 24.04],
    ['12', 12],
    ['2024.1.3', 2024.1],
    ['7.', 7],
    ['10.04.1 LTS', 10.04],
    ['rolling', undefined],
    ['', undefined],
    ['0', undefined],
    ['v9', undefined],
  ];
  assert.deepEqual(
    rows.map(([v]) => [v, osVersion(v)]),
    rows,
  );
});

test('supportEndSeconds', () => {
  assert.equal(supportEndSeconds('2028-06-30'), 1845936000);
  assert.equal(supportEndSeconds('2024-02-29'), 1709164800);
  assert.equal(supportEndSeconds('0099-01-01'), -59042995200);
  for (const bad of ['', '2028-6-30', '2028-06-30T00:00:00Z', ' 2028-06-30', '2023-02-29', '2028-13-01', '2028-04-31', '2028-00-10', 'soon']) {
    assert.throws(() => supportEndSeconds(bad), ParseError, bad);
  }
});

test('fixtures: /etc/os-release and /usr/lib/os-release differ', async () => {
  const etc = await readAndParse(fixturePath('etc', 'os-release'), parseOsRelease);
  assert.equal(etc.ID, 'debian');
  assert.equal(etc.VERSION_ID, '12');
  assert.equal(etc.IMAGE_ID, 'web-base');
  assert.equal(etc.ID_LIKE, undefined);
  assert.equal(osVersion(etc.VERSION_ID ?? ''), 12);
  assert.equal(supportEndSeconds(etc.SUPPORT_END ?? ''), 1845936000);

  const usrLib = await readAndParse(fixturePath('usr', 'lib', 'os-release'), parseOsRelease);
  assert.equal(usrLib.ID, 'ubuntu');
  assert.equal(usrLib.ID_LIKE, 'debian');
  assert.equal(osVersion(usrLib.VERSION_ID ?? ''), 24.04);
  assert.equal(usrLib.SUPPORT_END, undefined);
});
