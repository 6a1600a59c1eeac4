import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parseTzif, tzifZone, tzStringNames, tzStringZone } from '../../src/etc/tzif.js';
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

test('the zone in effect: a transition, the footer after the last one, the first type before the first', () => {
  const z = parseTzif(buildTzif(CET_LIKE));
  assert.deepEqual(tzifZone(z, at('2025-07-01T00:00:00Z')), { utoff: 7200, name: 'CEST' }); // between transitions
  assert.deepEqual(tzifZone(z, at('2025-02-01T00:00:00Z')), { utoff: 3600, name: 'CET' });
  assert.deepEqual(tzifZone(z, at('2026-07-15T12:00:00Z')), { utoff: 7200, name: 'CEST' }); // footer, DST
  assert.deepEqual(tzifZone(z, at('2026-01-15T12:00:00Z')), { utoff: 3600, name: 'CET' }); // footer, standard
  assert.deepEqual(tzifZone(z, at('1880-01-01T00:00:00Z')), { utoff: 3208, name: 'LMT' }); // before the first
  // A footer whose rules cannot be read: the last transition's type, as Go falls back.
  const unreadable = parseTzif(buildTzif({ ...CET_LIKE, footer: 'CET-1CEST,M3.5.0' }));
  const lastType = CET_LIKE.types[CET_LIKE.transitionTypes?.at(-1) ?? 0];
  assert.deepEqual(tzifZone(unreadable, at('2026-07-15T12:00:00Z')), { utoff: lastType?.utoff, name: lastType?.abbreviation });
});

test('TZif version 1 only, and a file with no transitions (a fixed zone)', () => {
  const v1 = parseTzif(buildTzif({ ...CET_LIKE, version: 1 }));
  assert.equal(v1.footer, '');
  assert.deepEqual(tzifZone(v1, at('2026-01-15T12:00:00Z')), { utoff: 3600, name: 'CET' }); // the last transition's type
  const fixed = parseTzif(buildTzif({ version: 2, types: [{ utoff: 19800, abbreviation: 'IST' }], footer: 'IST-5:30' }));
  assert.deepEqual(tzifZone(fixed, at('2026-01-15T12:00:00Z')), { utoff: 19800, name: 'IST' });
  const utc = parseTzif(buildTzif({ version: 2, types: [{ utoff: 0, abbreviation: 'UTC' }], footer: 'UTC0' }));
  assert.deepEqual(tzifZone(utc, at('2026-01-15T12:00:00Z')), { utoff: 0, name: 'UTC' });
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
    assert.deepEqual(tzifZone(parseTzif(readFileSync(file(name))), seconds), { utoff, name: want }, `${name} at ${seconds}`);
  }
});

test('POSIX TZ rules: the offset on each side of each change, as Go applies them', () => {
  const cases: [string, string, number][] = [
    // Central Europe: last Sunday of March 02:00 CET, last Sunday of October 03:00 CEST.
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-03-29T00:59:59Z', 3600],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-03-29T01:00:00Z', 7200],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-10-25T00:59:59Z', 7200],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2026-10-25T01:00:00Z', 3600],
    // Week 5 is the last: October 2027 has four Sundays after the 1st... its last is the 31st.
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2027-10-31T00:59:59Z', 7200],
    ['CET-1CEST,M3.5.0,M10.5.0/3', '2027-10-31T01:00:00Z', 3600],
    // The southern hemisphere: DST across the new year.
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-01-15T00:00:00Z', 39600],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-04-04T15:59:59Z', 39600],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-04-04T16:00:00Z', 36000],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-10-03T15:59:59Z', 36000],
    ['AEST-10AEDT,M10.1.0,M4.1.0/3', '2026-10-03T16:00:00Z', 39600],
    // Ireland: "standard" IST in summer, a negative DST (GMT) in winter.
    ['IST-1GMT0,M10.5.0,M3.5.0/1', '2026-01-15T12:00:00Z', 0],
    ['IST-1GMT0,M10.5.0,M3.5.0/1', '2026-07-15T12:00:00Z', 3600],
    ['IST-1GMT0,M10.5.0,M3.5.0/1', '2026-03-29T00:59:59Z', 0],
    ['IST-1GMT0,M10.5.0,M3.5.0/1', '2026-03-29T01:00:00Z', 3600],
    // Julian days (Feb 29 never counted) and zero-based days (counted), in a leap year.
    ['XXX3YYY,J60/0,J300/0', '2028-02-29T02:59:59Z', -10800],
    ['XXX3YYY,J60/0,J300/0', '2028-03-01T02:59:59Z', -10800],
    ['XXX3YYY,J60/0,J300/0', '2028-03-01T03:00:00Z', -7200],
    ['XXX3YYY,59/0,300/0', '2028-02-29T02:59:59Z', -10800],
    ['XXX3YYY,59/0,300/0', '2028-02-29T03:00:00Z', -7200],
    // A DST name with no rules: the US rules (second Sunday of March, first of November).
    ['EST5EDT', '2026-03-08T06:59:59Z', -18000],
    ['EST5EDT', '2026-03-08T07:00:00Z', -14400],
    ['EST5EDT', '2026-11-01T05:59:59Z', -14400],
    ['EST5EDT', '2026-11-01T06:00:00Z', -18000],
    // No DST part; a negative rule time (TZif version 3).
    ['<+0530>-5:30', '2026-07-15T12:00:00Z', 19800],
    ['<-03>3<-02>,M3.5.0/-2,M10.5.0/-1', '2026-03-29T00:59:59Z', -10800],
    ['<-03>3<-02>,M3.5.0/-2,M10.5.0/-1', '2026-03-29T01:00:00Z', -7200],
  ];
  for (const [tz, iso, want] of cases) assert.equal(tzStringZone(tz, at(iso))?.utoff, want, `${tz} at ${iso}`);
  // The name goes with the period, not the offset: Ireland's winter is its "daylight saving" GMT.
  assert.deepEqual(tzStringZone('IST-1GMT0,M10.5.0,M3.5.0/1', at('2026-01-15T12:00:00Z')), { utoff: 0, name: 'GMT' });
  assert.deepEqual(tzStringZone('IST-1GMT0,M10.5.0,M3.5.0/1', at('2026-07-15T12:00:00Z')), { utoff: 3600, name: 'IST' });
  assert.deepEqual(tzStringZone('<+0530>-5:30', at('2026-07-15T12:00:00Z')), { utoff: 19800, name: '+0530' });
  assert.deepEqual(tzStringZone('EST5EDT', at('2026-07-15T12:00:00Z')), { utoff: -14400, name: 'EDT' });
  for (const bad of ['', 'CET-1CEST,M3.5.0', 'CET-1CEST,M13.5.0,M10.5.0', 'CET-1CEST,J0,J10', 'CET-1CEST,M3.5.0,M10.5.0,x']) {
    assert.equal(tzStringZone(bad, at('2026-07-15T12:00:00Z')), undefined, bad);
  }
});

test('tzifZone offsets: the last transition before a time, the footer after the last, the first standard type before the first', () => {
  const z = parseTzif(buildTzif(CET_LIKE));
  const last = CET_LIKE.transitions?.at(-1) ?? 0;
  assert.equal(tzifZone(z, (CET_LIKE.transitions?.[0] ?? 0) - 1).utoff, 3208);
  assert.equal(tzifZone(z, at('2025-07-01T00:00:00Z')).utoff, 7200);
  assert.equal(tzifZone(z, at('2025-02-01T00:00:00Z')).utoff, 3600);
  assert.ok(at('2026-07-15T12:00:00Z') > last, 'the fixture ends before 2026');
  assert.equal(tzifZone(z, at('2026-07-15T12:00:00Z')).utoff, 7200);
  assert.equal(tzifZone(z, at('2026-01-15T12:00:00Z')).utoff, 3600);
  // No transitions: the footer for all time, else the first type.
  assert.equal(tzifZone(parseTzif(buildTzif({ version: 2, types: [{ utoff: -10800, abbreviation: '-03' }], footer: '<-03>3' })), 0).utoff, -10800);
  assert.equal(tzifZone(parseTzif(buildTzif({ version: 2, types: [{ utoff: 3600, abbreviation: 'X' }], footer: '' })), 0).utoff, 3600);
});

test("this machine's tzdata: the offsets V8 gives (ICU's own zone database) over 1995-2060", (t) => {
  // Zones whose rules have not changed since 1995, so both databases agree whatever their ages:
  // northern and southern DST, Ireland's negative DST, half- and quarter-hour zones, fixed ones.
  const zones = [
    'Europe/Berlin',
    'Europe/Dublin',
    'Europe/London',
    'America/New_York',
    'Australia/Sydney',
    'Australia/Adelaide',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Asia/Kolkata',
    'Asia/Tokyo',
    'Etc/GMT+5',
    'UTC',
  ];
  if (!existsSync('/usr/share/zoneinfo/Europe/Dublin')) return t.skip('no tzdata in /usr/share/zoneinfo (Debian package tzdata)');
  const times: number[] = [];
  for (let s = at('1995-01-01T00:00:00Z'); s < at('2060-01-01T00:00:00Z'); s += 7 * 86400 + 3607) times.push(s);
  for (const zone of zones) {
    // V8's clock in a child with that zone; the file the child's TZ names, read here.
    const r = spawnSync(process.execPath, ['-e', `process.stdout.write(JSON.stringify(${JSON.stringify(times)}.map((s) => -new Date(s * 1000).getTimezoneOffset() * 60)))`], {
      encoding: 'utf8',
      env: { ...process.env, TZ: zone },
      maxBuffer: 1 << 26,
    });
    assert.equal(r.status, 0, r.stderr);
    const v8: number[] = JSON.parse(r.stdout);
    const z = parseTzif(readFileSync(`/usr/share/zoneinfo/${zone}`));
    const differ = times.filter((s, i) => tzifZone(z, s).utoff !== v8[i]).map((s) => `${new Date(s * 1000).toISOString()}: ${tzifZone(z, s).utoff} vs ${v8[times.indexOf(s)]}`);
    assert.deepEqual(differ.slice(0, 5), [], zone);
  }
});
