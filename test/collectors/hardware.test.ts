import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, NoDataError, type CollectorDefinition } from '../../src/collector.js';
import { bonding } from '../../src/collectors/bonding.js';
import { drm } from '../../src/collectors/drm.js';
import { edac } from '../../src/collectors/edac.js';
import { hwmon } from '../../src/collectors/hwmon.js';
import { infiniband } from '../../src/collectors/infiniband.js';
import { ipvs } from '../../src/collectors/ipvs.js';
import { pcidevice } from '../../src/collectors/pcidevice.js';
import { powersupplyclass } from '../../src/collectors/powersupplyclass.js';
import { rapl } from '../../src/collectors/rapl.js';
import { thermalZone } from '../../src/collectors/thermal-zone.js';
import { watchdog } from '../../src/collectors/watchdog.js';
import { buildCollector, collectSeries, familySeries, type BuildOptions } from '../helpers/series.js';
import { fixturePath } from '../helpers/repo.js';
import { tmpDirTest } from '../helpers/tmp.js';

const roots = { sysfs: fixturePath('sys'), procfs: fixturePath('proc') };
const series = (def: CollectorDefinition, o: BuildOptions = {}) => collectSeries(def, { roots, ...o });

const withTmp = tmpDirTest('nts-hw-');
const put = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

test("default on/off states are upstream's", () => {
  const on = [bonding, edac, hwmon, infiniband, ipvs, powersupplyclass, rapl, thermalZone, watchdog];
  for (const d of on) assert.equal(d.defaultEnabled, true, d.name);
  for (const d of [drm, pcidevice]) assert.equal(d.defaultEnabled, false, d.name);
});

test('hwmon: chip names from device links, name files and hwmonN; shared devices told apart', async () => {
  const m = await series(hwmon);
  const chips = [...familySeries(m, 'node_hwmon_chip_names').keys()];
  assert.deepEqual(chips.sort(), [
    'node_hwmon_chip_names{chip="platform_asus_nb_wmi_asus",chip_name="asus"}',
    'node_hwmon_chip_names{chip="platform_asus_nb_wmi_asus_wmi_sensors",chip_name="asus_wmi_sensors"}',
    'node_hwmon_chip_names{chip="platform_coretemp_0",chip_name="coretemp"}',
    'node_hwmon_chip_names{chip="platform_nct6775_656",chip_name="nct6798"}',
  ]);
  assert.equal(m.get('node_hwmon_temp_celsius{chip="hwmon4",sensor="temp1"}'), 52);
  assert.equal(m.get('node_hwmon_temp_celsius{chip="platform_coretemp_0",sensor="temp2"}'), 45.5);
  assert.equal(m.get('node_hwmon_fan_rpm{chip="platform_asus_nb_wmi_asus",sensor="fan1"}'), 2600);
  assert.equal(m.get('node_hwmon_energy_joule_total{chip="platform_nct6775_656",sensor="energy1"}'), 9007199254740993 / 1e6);
  assert.equal(m.get('node_hwmon_freq_freq_mhz{chip="hwmon4",sensor="sclk"}'), 1800);
  assert.equal(m.has('node_hwmon_temp_celsius{chip="platform_nct6775_656",sensor="temp7"}'), false, 'N/A value skipped');
});

test('hwmon: chip and sensor filters', async () => {
  const m = await series(hwmon, { options: { 'collector.hwmon.chip-include': '^platform_coretemp', 'collector.hwmon.sensor-exclude': ';temp2$' } });
  const sensors = new Set([...m.keys()].map((k) => /sensor="([^"]+)"/.exec(k)?.[1]).filter((s) => s !== undefined));
  assert.deepEqual([...sensors], ['temp1']);
  assert.ok([...m.keys()].every((k) => k.includes('platform_coretemp_0')));
  assert.throws(() => buildCollector(hwmon, { options: { 'collector.hwmon.chip-exclude': '(' } }), ConfigError);
});

test(
  'hwmon: no class/hwmon is no data',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(hwmon, { roots: { sysfs: dir } }), NoDataError);
  }),
);

test(
  'hwmon: nodes sharing a device and a name file are told apart by hwmonN',
  withTmp(async (dir) => {
    for (const n of ['hwmon7', 'hwmon8']) {
      const node = path.join(dir, 'devices', 'platform', 'soc', 'wifi0', 'hwmon', n);
      put(path.join(node, 'name'), 'mt7996_phy0\n');
      put(path.join(node, 'temp1_input'), n === 'hwmon7' ? '41000\n' : '42000\n');
      symlinkSync('../../../wifi0', path.join(node, 'device'));
      mkdirSync(path.join(dir, 'class', 'hwmon'), { recursive: true });
      symlinkSync(`../../devices/platform/soc/wifi0/hwmon/${n}`, path.join(dir, 'class', 'hwmon', n));
    }
    const m = await collectSeries(hwmon, { roots: { sysfs: dir } });
    assert.equal(m.get('node_hwmon_temp_celsius{chip="soc_wifi0_hwmon7",sensor="temp1"}'), 41);
    assert.equal(m.get('node_hwmon_temp_celsius{chip="soc_wifi0_hwmon8",sensor="temp1"}'), 42);
    assert.equal(m.get('node_hwmon_chip_names{chip="soc_wifi0_hwmon8",chip_name="mt7996_phy0"}'), 1);
  }),
);

test('pcidevice: identity, links, power states; names from a pci.ids file', async () => {
  const m = await series(pcidevice, { options: { 'collector.pcidevice.names': true, 'collector.pcidevice.idsfile': fixturePath('usr', 'share', 'misc', 'pci.ids') } });
  const info = [...familySeries(m, 'node_pcidevice_info').keys()];
  assert.equal(info.length, 3);
  assert.ok(
    info.some((k) => k.includes('bus="02"') && k.includes('parent_bus="00"') && k.includes('class_name="NVM Express"') && k.includes('subsystem_device_name="SSD 980 PRO"')),
  );
  assert.ok(info.some((k) => k.includes('bus="00"') && k.includes('parent_bus="*"') && k.includes('subsystem_vendor_name="Dell"') && k.includes('class_name="Normal decode"')));
  const loc = (bus: string) => `bus="${bus}",device="${bus === '00' ? '1c' : '00'}",function="0",segment="0000"`;
  assert.equal(m.get(`node_pcidevice_current_link_transfers_per_second{${loc('03')}}`), -1);
  assert.equal(m.get(`node_pcidevice_current_link_width{${loc('02')}}`), 2);
  assert.equal(m.get(`node_pcidevice_power_state{${loc('02')},state="D3hot"}`), 1);
  assert.equal(familySeries(m, 'node_pcidevice_power_state').size, 14, 'the GPU has no power_state file');
  assert.equal(m.has(`node_pcidevice_numa_node{${loc('00')}}`), false, 'numa_node -1 is left out');
  const plain = await series(pcidevice);
  assert.ok([...familySeries(plain, 'node_pcidevice_info').keys()].every((k) => !k.includes('_name=')));
});

test(
  'pcidevice: a malformed ID file fails the collector, naming the device',
  withTmp(async (dir) => {
    const dev = path.join(dir, 'devices', 'pci0000:00', '0000:00:1c.0');
    for (const [f, v] of [
      ['class', '0x060400'],
      ['vendor', 'zz'],
      ['device', '0x1'],
      ['subsystem_vendor', '0x1'],
      ['subsystem_device', '0x1'],
      ['revision', '0x1'],
    ])
      put(path.join(dev, f!), `${v}\n`);
    mkdirSync(path.join(dir, 'bus', 'pci', 'devices'), { recursive: true });
    symlinkSync('../../../devices/pci0000:00/0000:00:1c.0', path.join(dir, 'bus', 'pci', 'devices', '0000:00:1c.0'));
    await assert.rejects(collectSeries(pcidevice, { roots: { sysfs: dir } }), /0000:00:1c\.0.*invalid vendor/);
    await assert.rejects(collectSeries(pcidevice, { roots: { sysfs: path.join(dir, 'none') } }), NoDataError);
  }),
);

test('infiniband: ports, N/A counters, 4-byte data words, hw counters, device filter', async () => {
  const m = await series(infiniband);
  assert.equal(m.get('node_infiniband_rate_bytes_per_second{device="mlx5_0",port="1"}'), 25_000_000_000);
  assert.equal(m.get('node_infiniband_port_data_transmitted_bytes_total{device="mlx5_0",port="1"}'), 0x2f5e1 * 4);
  assert.equal(m.get('node_infiniband_legacy_data_received_bytes_total{device="mlx4_0",port="1"}'), 4503599627370497 * 4);
  assert.equal(m.has('node_infiniband_port_discards_received_total{device="mlx5_0",port="1"}'), false);
  assert.equal(m.get('node_infiniband_state_id{device="mlx4_0",port="2"}'), 1);
  assert.equal(m.get('node_infiniband_lifespan_seconds{device="mlx5_0",port="1"}'), 0);
  assert.equal(m.get('node_infiniband_info{board_id="MT_1090120019",device="mlx4_0",firmware_version="2.42.5000",hca_type="MT4099"}'), 1);
  const only5 = await series(infiniband, { options: { 'collector.infiniband.device-include': '^mlx5' } });
  assert.ok([...only5.keys()].every((k) => k.includes('mlx5_0')));
});

test('ipvs: totals, backends, and summing by --collector.ipvs.backend-labels', async () => {
  const m = await series(ipvs);
  assert.equal(m.get('node_ipvs_incoming_bytes_total{}'), 2 ** 53);
  assert.equal(familySeries(m, 'node_ipvs_backend_weight').size, 7);
  assert.equal(
    m.get('node_ipvs_backend_connections_active{local_address="2001:db8::64",local_mark="",local_port="443",proto="TCP",remote_address="10.0.10.12",remote_port="443"}'),
    4,
  );
  const byProto = await series(ipvs, { options: { 'collector.ipvs.backend-labels': 'proto,local_port' } });
  assert.deepEqual([...familySeries(byProto, 'node_ipvs_backend_connections_active')].sort(), [
    ['node_ipvs_backend_connections_active{local_port="0",proto="FWM"}', 2],
    ['node_ipvs_backend_connections_active{local_port="443",proto="TCP"}', 7],
    ['node_ipvs_backend_connections_active{local_port="53",proto="UDP"}', 0],
    ['node_ipvs_backend_connections_active{local_port="80",proto="TCP"}', 21],
  ]);
  assert.throws(() => buildCollector(ipvs, { options: { 'collector.ipvs.backend-labels': 'proto,vip' } }), /unknown IPVS backend labels: "vip"/);
});

test(
  'ipvs: no ip_vs_stats is no data; a malformed ip_vs fails',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(ipvs, { roots: { procfs: dir } }), NoDataError);
    put(path.join(dir, 'net', 'ip_vs_stats'), ' a\n b\n 1 2 3 4 5\n\n');
    put(path.join(dir, 'net', 'ip_vs'), 'TCP  C0A800:0CEA wlc\n');
    await assert.rejects(collectSeries(ipvs, { roots: { procfs: dir } }), /ip_vs:1: unexpected address/);
  }),
);

test('edac: controllers, csrows, channels; cleaned DIMM labels', async () => {
  const m = await series(edac);
  assert.equal(m.get('node_edac_csrow_correctable_errors_total{controller="0",csrow="unknown"}'), 1);
  assert.equal(m.get('node_edac_channel_correctable_errors_total{channel="0",controller="0",csrow="0",dimm_label="CPU_SrcID0_MC0_Chan0_DIMM0"}'), 2);
  assert.equal(m.get('node_edac_channel_correctable_errors_total{channel="0",controller="0",csrow="1",dimm_label="unknown"}'), 0);
  assert.equal(familySeries(m, 'node_edac_channel_uncorrectable_errors_total').size, 2);
  assert.equal(m.get('node_edac_uncorrectable_errors_total{controller="1"}'), 1);
  assert.equal(m.size, 17);
});

test(
  'edac: a missing counter fails the collector',
  withTmp(async (dir) => {
    put(path.join(dir, 'devices/system/edac/mc/mc0/ce_count'), '0\n');
    await assert.rejects(collectSeries(edac, { roots: { sysfs: dir } }), /ce_noinfo_count/);
  }),
);

test('powersupplyclass: units, info labels, ignored supplies', async () => {
  const m = await series(powersupplyclass);
  assert.equal(m.get('node_power_supply_voltage_volt{power_supply="BAT0"}'), 12.817);
  assert.equal(m.get('node_power_supply_temp_celsius{power_supply="BAT0"}'), 31.2);
  assert.equal(m.get('node_power_supply_info{power_supply="AC",type="Mains"}'), 1);
  assert.equal(familySeries(m, 'node_power_supply_info').size, 3);
  const ignored = await series(powersupplyclass, { options: { 'collector.powersupply.ignored-supplies': '^(AC|hidpp.*)$' } });
  assert.deepEqual([...familySeries(ignored, 'node_power_supply_online').keys()], []);
  assert.equal(familySeries(ignored, 'node_power_supply_info').size, 1);
});

test('watchdog: numbers where the files exist, one info per device', async () => {
  const m = await series(watchdog);
  assert.equal(m.get('node_watchdog_timeleft_seconds{name="watchdog0"}'), 27);
  assert.equal(m.has('node_watchdog_timeleft_seconds{name="watchdog1"}'), false);
  assert.equal(m.get('node_watchdog_info{identity="softdog",name="watchdog1",options="",pretimeout_governor="noop",state="inactive",status=""}'), 1);
});

test(
  'watchdog: no class/watchdog is no data',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(watchdog, { roots: { sysfs: dir } }), NoDataError);
  }),
);

test('thermal_zone: zones and cooling devices', async () => {
  const m = await series(thermalZone);
  assert.deepEqual([...m].sort(), [
    ['node_cooling_device_cur_state{name="0",type="Processor"}', 0],
    ['node_cooling_device_cur_state{name="1",type="intel_powerclamp"}', -1],
    ['node_cooling_device_max_state{name="0",type="Processor"}', 3],
    ['node_cooling_device_max_state{name="1",type="intel_powerclamp"}', 50],
    ['node_thermal_zone_temp{type="acpitz",zone="0"}', 27.8],
    ['node_thermal_zone_temp{type="x86_pkg_temp",zone="1"}', -1.5],
  ]);
});

test('rapl: one family per zone name, or one with --collector.rapl.enable-zone-label', async () => {
  const base = fixturePath('sys', 'class', 'powercap');
  const m = await series(rapl);
  assert.equal(m.get(`node_rapl_package_joules_total{index="0",path="${base}/intel-rapl:0"}`), 86294.729283);
  assert.equal(m.get(`node_rapl_uncore_joules_total{index="0",path="${base}/intel-rapl:0:1"}`), 1.04621);
  assert.equal(m.size, 5);
  const z = await series(rapl, { options: { 'collector.rapl.enable-zone-label': true } });
  assert.equal(z.get(`node_rapl_joules_total{index="0",path="${base}/intel-rapl:1",rapl_zone="psys"}`), 120);
  assert.equal(z.size, 5);
});

test('drm: amdgpu cards only, card[0-9] only', async () => {
  const m = await series(drm);
  assert.equal(m.get('node_drm_card_info{card="card0",memory_vendor="samsung",power_performance_level="auto",unique_id="5f4a3c2b1d0e9f8a",vendor="amd"}'), 1);
  assert.equal(m.get('node_drm_memory_vram_size_bytes{card="card0"}'), 17163091968);
  assert.ok([...m.keys()].every((k) => k.includes('card="card0"')));
});

test('bonding: slaves and active slaves, lower_ and slave_ links', async () => {
  const m = await collectSeries(bonding, { roots: { sysfs: fixturePath('bonding', 'sys') } });
  assert.deepEqual([...m].sort(), [
    ['node_bonding_active{master="bond0"}', 1],
    ['node_bonding_active{master="bond1"}', 1],
    ['node_bonding_slaves{master="bond0"}', 2],
    ['node_bonding_slaves{master="bond1"}', 1],
  ]);
});

test(
  'bonding: no bonding_masters, or a missing slave, is no data',
  withTmp(async (dir) => {
    await assert.rejects(collectSeries(bonding, { roots: { sysfs: dir } }), NoDataError);
    put(path.join(dir, 'class/net/bonding_masters'), 'bond0\n');
    put(path.join(dir, 'class/net/bond0/bonding/slaves'), 'eth9\n');
    await assert.rejects(collectSeries(bonding, { roots: { sysfs: dir } }), NoDataError);
  }),
);
