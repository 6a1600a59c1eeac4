import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDrbd } from '../../src/procfs/drbd.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const errors: { name: string; text: string; error: RegExp }[] = [
  { name: 'invalid number', text: ' 0: cs:Connected\n    ns:12x\n', error: /invalid ns value "12x"/ },
  { name: 'empty number', text: ' 0: ns:\n', error: /invalid ns value ""/ },
  { name: 'role without a peer (truncated)', text: ' 0: ro:Primary\n', error: /ro value "Primary" is not local\/remote/ },
];

for (const c of errors) {
  test(`parseDrbd: ${c.name}`, () => {
    assert.throws(
      () => parseDrbd(c.text),
      (err: unknown) => err instanceof ParseError && c.error.test(err.message) && err.lineNumber !== undefined,
    );
  });
}

test('parseDrbd: empty file has no devices', () => {
  assert.deepEqual(parseDrbd(''), []);
});

test('parseDrbd: version header and unknown keys skipped; values before any "N:" belong to "unknown"', () => {
  const [unknown, d3] = parseDrbd('version: 8.4.3 (api:1/proto:86-101)\nnr:5\n 3: cs:WFConnection wo:f foo:bar ro:Secondary/Unknown\n  ns:1e3 oos:0\n');
  assert.equal(unknown?.name, 'unknown');
  assert.deepEqual([...(unknown?.numbers ?? [])], [['nr', 5]]);
  assert.equal(d3?.name, 'drbd3');
  assert.equal(d3?.connectionState, 'WFConnection');
  assert.deepEqual(d3?.roles, ['Secondary', 'Unknown']);
  assert.deepEqual(
    [...(d3?.numbers ?? [])],
    [
      ['ns', 1000],
      ['oos', 0],
    ],
  );
});

test('fixture /proc/drbd: two resources and an unconfigured minor', async () => {
  const devices = await readAndParse(fixturePath('proc', 'drbd'), parseDrbd);
  assert.deepEqual(
    devices.map((d) => [d.name, d.connectionState]),
    [
      ['drbd0', 'Connected'],
      ['drbd1', 'StandAlone'],
      ['drbd7', 'Unconfigured'],
    ],
  );
  assert.equal(devices[0]?.numbers.get('ns'), 4306452764);
  assert.deepEqual(devices[1]?.diskStates, ['Outdated', 'DUnknown']);
  assert.equal(devices[2]?.numbers.size, 0);
});
