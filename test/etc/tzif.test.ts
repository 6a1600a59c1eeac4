import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { numericZoneName, parseTzif, tzifAbbreviation, tzStringNames } from '../../src/etc/tzif.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { localZoneFiles } from '../../src/read/self.js';
import { buildTzif, CET_LIKE } from '../helpers/tzif.js';

const at = (iso: string) => Date.parse(iso) / 1000;

test('TZif version 2: types, transitions from the 64-bit block, and the footer', () => {
  const z = parseTzif(buildTzif(CET_LIKE));
  assert.deepEqual(
    z.types.map((t) => [t.abbreviation, t.utoff, t.isdst]),
    [
      ['LMT', 3208, false],
      ['CET', 3600, false],
      ['CEST', 7200, true],
    ],
  );
  assert.deepEqual(z.transitions, CET_LIKE.transitions);
  assert.equal(z.footer, 'CET-1CEST,M3.5.0,M10.5.0/3');
});

test('the name in effect: a transition, the footer after the last one, the first type before the first', () => {
  const z = parseTzif(buildTzif(CET_LIKE));
  assert.equal(tzifAbbreviation(z, at('2025-07-01T00:00:00Z'), 7200), 'CEST'); // between transitions
  assert.equal(tzifAbbreviation(z, at('2025-02-01T00:00:00Z'), 3600), 'CET');
  assert.equal(tzifAbbreviation(z, at('2026-07-15T12:00:00Z'), 7200), 'CEST'); // footer, DST
  assert.equal(tzifAbbreviation(z, at('2026-01-15T12:00:00Z'), 3600), 'CET'); // footer, standard
  assert.equal(tzifAbbreviation(z, at('1880-01-01T00:00:00Z'), 3208), 'LMT'); // before the first
  assert.equal(tzifAbbreviation(z, at('2026-01-15T12:00:00Z'), 19800), undefined); // no name for that offset
});

test('TZif version 1 only, and a file with no transitions (a fixed zone)', () => {
  const v1 = parseTzif(buildTzif({ ...CET_LIKE, version: 1 }));
  assert.equal(v1.footer, '');
  assert.equal(tzifAbbreviation(v1, at('2026-01-15T12:00:00Z'), 3600), 'CET'); // the last transition's type
  const fixed = parseTzif(buildTzif({ version: 2, types: [{ utoff: 19800, abbreviation: 'IST' }], footer: 'IST-5:30' }));
  assert.equal(tzifAbbreviation(fixed, at('2026-01-15T12:00:00Z'), 19800), 'IST');
  const utc = parseTzif(buildTzif({ version: 2, types: [{ utoff: 0, abbreviation: 'UTC' }], footer: 'UTC0' }));
  assert.equal(tzifAbbreviation(utc, at('2026-01-15T12:00:00Z'), 0), 'UTC');
});

test('POSIX TZ strings: names, quoted names, offsets west of UTC, an implied DST hour', () => {
  assert.deepEqual(tzStringNames('CET-1CEST,M3.5.0,M10.5.0/3'), { std: { name: 'CET', utoff: 3600 }, dst: { name: 'CEST', utoff: 7200 } });
  assert.deepEqual(tzStringNames('<+0530>-5:30'), { std: { name: '+0530', utoff: 19800 } });
  assert.deepEqual(tzStringNames('EST5EDT,M3.2.0,M11.1.0'), { std: { name: 'EST', utoff: -18000 }, dst: { name: 'EDT', utoff: -14400 } });
  assert.deepEqual(tzStringNames('<-03>3'), { std: { name: '-03', utoff: -10800 } });
  assert.deepEqual(tzStringNames('IST-1GMT0,M10.5.0,M3.5.0/1'), { std: { name: 'IST', utoff: 3600 }, dst: { name: 'GMT', utoff: 0 } });
  assert.equal(tzStringNames(''), undefined);
  assert.equal(tzStringNames('X1'), undefined);
  assert.equal(tzStringNames('<+05'), undefined);
});

test('malformed TZif files are a ParseError', () => {
  const good = buildTzif(CET_LIKE);
  const bad: [string, Buffer][] = [
    ['empty', Buffer.alloc(0)],
    ['no magic', Buffer.concat([Buffer.from('TZiX'), good.subarray(4)])],
    ['truncated header', good.subarray(0, 30)],
    ['truncated data', good.subarray(0, 60)],
    ['truncated v2 block', good.subarray(0, good.length - 40)],
    ['transitions not ascending', buildTzif({ ...CET_LIKE, transitions: [10, 5, 20] })],
    ['transition to a missing type', buildTzif({ ...CET_LIKE, transitionTypes: [1, 7, 1] })],
    ['no types', buildTzif({ version: 2, types: [], footer: '' })],
    ['unterminated footer', good.subarray(0, good.length - 1)],
  ];
  for (const [name, b] of bad) assert.throws(() => parseTzif(b), ParseError, name);
});

test("zone files searched as Go's time package searches them", () => {
  assert.deepEqual(localZoneFiles(undefined), ['/etc/localtime']);
  assert.deepEqual(localZoneFiles(''), []);
  assert.deepEqual(localZoneFiles('UTC'), []);
  assert.deepEqual(localZoneFiles(':UTC'), []);
  assert.deepEqual(localZoneFiles('/tmp/zone'), ['/tmp/zone']);
  assert.deepEqual(localZoneFiles(':/tmp/zone'), ['/tmp/zone']);
  assert.deepEqual(localZoneFiles('Europe/Berlin'), [
    '/usr/share/zoneinfo/Europe/Berlin',
    '/usr/share/lib/zoneinfo/Europe/Berlin',
    '/usr/lib/locale/TZ/Europe/Berlin',
    '/etc/zoneinfo/Europe/Berlin',
  ]);
  assert.deepEqual(localZoneFiles('../../etc/passwd'), []);
});

test('numeric names for zones without one: tzdata style', () => {
  assert.equal(numericZoneName(0), 'UTC');
  assert.equal(numericZoneName(19800), '+0530');
  assert.equal(numericZoneName(-10800), '-03');
  assert.equal(numericZoneName(20700), '+0545');
});

test("this machine's tzdata: the names Go gives (CET/CEST, IST, GMT/BST, -03, ACDT/ACST)", (t) => {
  const cases: [string, number, number, string][] = [
    ['Europe/Berlin', at('2026-01-15T12:00:00Z'), 3600, 'CET'],
    ['Europe/Berlin', at('2026-07-15T12:00:00Z'), 7200, 'CEST'],
    ['Asia/Kolkata', at('2026-07-15T12:00:00Z'), 19800, 'IST'],
    ['Europe/London', at('2026-01-15T12:00:00Z'), 0, 'GMT'],
    ['Europe/London', at('2026-07-15T12:00:00Z'), 3600, 'BST'],
    ['America/Sao_Paulo', at('2026-07-15T12:00:00Z'), -10800, '-03'],
    ['Australia/Adelaide', at('2026-01-15T12:00:00Z'), 37800, 'ACDT'],
    ['Australia/Adelaide', at('2026-07-15T12:00:00Z'), 34200, 'ACST'],
  ];
  const file = (name: string) => `/usr/share/zoneinfo/${name}`;
  if (!existsSync(file('Europe/Berlin'))) return t.skip('no tzdata in /usr/share/zoneinfo (Debian package tzdata)');
  for (const [name, seconds, utoff, want] of cases) {
    assert.equal(tzifAbbreviation(parseTzif(readFileSync(file(name))), seconds, utoff), want, `${name} at ${seconds}`);
  }
});
