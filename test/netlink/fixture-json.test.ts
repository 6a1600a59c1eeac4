import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQdiscFixture, type QdiscInfo } from '../../src/netlink/qdisc.js';
import { parseWifiBss, parseWifiInterfaces, parseWifiStations } from '../../src/netlink/wifi-fixture.js';
import { ParseError } from '../../src/procfs/parse-error.js';
import { readAndParse } from '../../src/read/files.js';
import { fixturePath } from '../helpers/repo.js';

const zeroQdisc: QdiscInfo = { ifaceName: '', parent: 0, handle: 0, kind: '', bytes: 0, packets: 0, drops: 0, requeues: 0, overlimits: 0, qlen: 0, backlog: 0 };

const qdiscCases: { name: string; text: string; want?: QdiscInfo[]; error?: RegExp }[] = [
  { name: 'empty', text: '', error: /invalid JSON/ },
  { name: 'truncated', text: '[{"IfaceName": "eth0", "Bytes": 4', error: /invalid JSON/ },
  { name: 'not an array', text: '{"IfaceName": "eth0"}', error: /want a JSON array/ },
  { name: 'element not an object', text: '[42]', error: /qdisc result 0: want a JSON object/ },
  { name: 'negative counter', text: '[{"Bytes": -1}]', error: /field Bytes: want an unsigned integer/ },
  { name: 'counter as string', text: '[{"Packets": "12"}]', error: /field Packets/ },
  { name: 'null is no qdiscs', text: 'null', want: [] },
  { name: 'missing fields are zero', text: '[{}]', want: [zeroQdisc] },
  {
    name: 'keys case-insensitive, unknown keys ignored',
    text: '[{"ifacename": "eth0", "KIND": "fq", "bytes": 10, "Throttled": 3, "Future": [1]}]',
    want: [{ ...zeroQdisc, ifaceName: 'eth0', kind: 'fq', bytes: 10 }],
  },
];

for (const c of qdiscCases) {
  test(`parseQdiscFixture: ${c.name}`, () => {
    if (c.error !== undefined) {
      assert.throws(
        () => parseQdiscFixture(c.text),
        (err: unknown) => err instanceof ParseError && c.error!.test(err.message),
      );
    } else {
      assert.deepEqual(parseQdiscFixture(c.text), c.want);
    }
  });
}

test('fixture qdisc results.json', async () => {
  const got = await readAndParse(fixturePath('netlink', 'qdisc', 'results.json'), parseQdiscFixture);
  assert.equal(got.length, 4);
  assert.deepEqual(got[0], {
    ifaceName: 'enp3s0',
    parent: 0,
    handle: 0,
    kind: 'mq',
    bytes: 9007199254740992,
    packets: 4100273311,
    drops: 17,
    requeues: 305,
    overlimits: 0,
    qlen: 0,
    backlog: 0,
  });
  assert.equal(got[1]?.parent, 1);
  assert.deepEqual(got[2], { ...zeroQdisc, ifaceName: 'lo', kind: 'noqueue' });
});

test('parseWifiInterfaces: bad input', () => {
  for (const [text, error] of [
    ['', /invalid JSON/],
    ['{}', /want a JSON array/],
    ['[{"Name": 3}]', /field Name: want a string/],
    ['[{"Frequency": 2412.5}]', /field Frequency: want an integer/],
  ] as const) {
    assert.throws(
      () => parseWifiInterfaces(text),
      (err: unknown) => err instanceof ParseError && error.test(err.message),
      text,
    );
  }
});

test('parseWifiBss: base64 BSSID, null BSSID, bad base64', () => {
  assert.deepEqual(parseWifiBss('{"ssid": "x", "bssid": "AAECAwQF", "status": 2}'), { ssid: 'x', bssid: '00:01:02:03:04:05', status: 2 });
  assert.deepEqual(parseWifiBss('{"BSSID": null}'), { ssid: '', bssid: '', status: 0 });
  assert.throws(() => parseWifiBss('{"BSSID": "00:11:22"}'), /want base64 bytes/);
  assert.throws(() => parseWifiBss('[]'), /bss: want a JSON object/);
});

test('parseWifiStations: durations as Go seconds, missing counters zero', () => {
  const [s] = parseWifiStations('[{"HardwareAddr": "qrvM3e7/", "Connected": 1500000001, "Inactive": 400000000, "Signal": -70}]');
  assert.equal(s?.hardwareAddr, 'aa:bb:cc:dd:ee:ff');
  assert.equal(s?.connectedSeconds, 1.500000001);
  assert.equal(s?.inactiveSeconds, 0.4);
  assert.equal(s?.signal, -70);
  assert.equal(s?.receivedBytes, 0);
  assert.throws(() => parseWifiStations('[{"Connected": "1s"}]'), /field Connected/);
});

test('fixture wifi files', async () => {
  const ifis = await readAndParse(fixturePath('netlink', 'wifi', 'interfaces.json'), parseWifiInterfaces);
  assert.deepEqual(
    ifis.map((i) => i.name),
    ['wlp2s0', 'mesh0', 'p2p-dev-wlp2s0', ''],
  );
  const bss = await readAndParse(fixturePath('netlink', 'wifi', 'wlp2s0', 'bss.json'), parseWifiBss);
  assert.deepEqual(bss, { ssid: 'Home Net', bssid: '64:66:66:01:02:03', status: 1 });
  const [st] = await readAndParse(fixturePath('netlink', 'wifi', 'wlp2s0', 'stationinfo.json'), parseWifiStations);
  assert.equal(st?.connectedSeconds, 5400.5);
  assert.equal(st?.receivedBytes, 6442450944);
});
