import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, type CollectorDefinition } from '../../src/collector.js';
import { cachedMatcher, compileRegexp, parseConfig, parseDuration, parseListenAddress, parseNonNegativeInt, type Config } from '../../src/config.js';

const noop = () => ({ collect: async () => {} });

const DEFINITIONS: readonly CollectorDefinition[] = [
  {
    name: 'beta',
    defaultEnabled: false,
    create: noop,
  },
  {
    name: 'alpha',
    defaultEnabled: true,
    options: [
      { flag: 'collector.alpha.mode', help: 'Mode of alpha.', defaultValue: 'x' },
      { flag: 'collector.alpha.device', help: 'A device to watch; repeatable.', repeatable: true },
      { flag: 'collector.alpha.verbose', help: 'Say more.', boolean: true },
      { flag: 'collector.alpha.secret', help: 'Hidden option.', hidden: true },
    ],
    create: noop,
  },
];

const VERSION = '9.8.7-test';

function parse(argv: string[], defs: readonly CollectorDefinition[] = DEFINITIONS): Config {
  const out = parseConfig(argv, defs, VERSION);
  assert.equal(out.exitText, undefined, `unexpected exit text for ${JSON.stringify(argv)}`);
  assert.ok(out.config !== undefined);
  return out.config;
}

function collector(config: Config, name: string) {
  const c = config.collectors.get(name);
  assert.ok(c !== undefined, `collector ${name} missing from config`);
  return c;
}

function enabled(config: Config): string[] {
  return [...config.collectors]
    .filter(([, c]) => c.enabled)
    .map(([n]) => n)
    .sort();
}

/** Asserts parseConfig throws a ConfigError whose message contains every `mentions`. */
function assertConfigError(argv: string[], ...mentions: string[]): void {
  assert.throws(
    () => parseConfig(argv, DEFINITIONS, VERSION),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
      for (const m of mentions) assert.ok(err.message.includes(m), `message ${JSON.stringify(err.message)} should mention ${JSON.stringify(m)}`);
      return true;
    },
  );
}

test('defaults', () => {
  const c = parse([]);
  assert.deepEqual(c.web.listenAddresses, [':9100']);
  assert.equal(c.web.telemetryPath, '/metrics');
  assert.equal(c.web.maxRequests, 40);
  assert.equal(c.web.disableExporterMetrics, false);
  assert.equal(c.web.scrapeTimeoutOffsetMs, 500);
  assert.equal(c.web.defaultScrapeTimeoutMs, 10_000);
  assert.deepEqual(c.log, { level: 'info', format: 'logfmt' });
  assert.equal(c.roots.procfs, '/proc');
  assert.equal(c.roots.sysfs, '/sys');
  assert.equal(c.roots.rootfs, '/');
  assert.equal(c.roots.udevData, undefined, 'udev data not given must stay undefined so it follows the rootfs');
  assert.deepEqual(enabled(c), ['alpha']);
  assert.equal(collector(c, 'beta').enabled, false);
  const alpha = collector(c, 'alpha');
  assert.equal(alpha.options.get('collector.alpha.mode'), 'x');
  assert.equal(alpha.options.get('collector.alpha.device'), undefined);
  assert.notEqual(alpha.options.get('collector.alpha.verbose'), true);
  assert.deepEqual([...alpha.explicit], []);
});

test('collector enable/disable flags', async (t) => {
  const cases: { argv: string[]; want: string[] }[] = [
    { argv: [], want: ['alpha'] },
    { argv: ['--collector.beta'], want: ['alpha', 'beta'] },
    { argv: ['--no-collector.alpha'], want: [] },
    { argv: ['--no-collector.alpha', '--collector.beta'], want: ['beta'] },
    { argv: ['--collector.alpha'], want: ['alpha'] },
    { argv: ['--collector.disable-defaults'], want: [] },
    { argv: ['--collector.disable-defaults', '--collector.alpha'], want: ['alpha'] },
    { argv: ['--collector.alpha', '--collector.disable-defaults'], want: ['alpha'] },
    { argv: ['--collector.disable-defaults', '--collector.beta'], want: ['beta'] },
    { argv: ['--collector.beta', '--no-collector.beta'], want: ['alpha'] },
  ];
  for (const c of cases) {
    await t.test(c.argv.join(' ') || '(none)', () => assert.deepEqual(enabled(parse(c.argv)), c.want));
  }
});

test('repeated --web.listen-address keeps every address, in order', () => {
  const c = parse(['--web.listen-address', '127.0.0.1:9100', '--web.listen-address=[::1]:9100', '--web.listen-address', ':9200']);
  assert.deepEqual(c.web.listenAddresses, ['127.0.0.1:9100', '[::1]:9100', ':9200']);
});

test('--flag=value and --flag value are the same', async (t) => {
  const pairs: [string, string, (c: Config) => unknown][] = [
    ['web.telemetry-path', '/m', (c) => c.web.telemetryPath],
    ['web.max-requests', '7', (c) => c.web.maxRequests],
    ['log.level', 'debug', (c) => c.log.level],
    ['log.format', 'json', (c) => c.log.format],
    ['path.procfs', '/host/proc', (c) => c.roots.procfs],
    ['path.sysfs', '/host/sys', (c) => c.roots.sysfs],
    ['path.rootfs', '/host', (c) => c.roots.rootfs],
    ['path.udev.data', '/host/run/udev/data', (c) => c.roots.udevData],
    ['web.scrape-timeout-offset', '250ms', (c) => c.web.scrapeTimeoutOffsetMs],
    ['web.default-scrape-timeout', '2s', (c) => c.web.defaultScrapeTimeoutMs],
    ['collector.alpha.mode', 'y', (c) => collector(c, 'alpha').options.get('collector.alpha.mode')],
  ];
  for (const [flag, value, read] of pairs) {
    await t.test(flag, () => {
      const a = read(parse([`--${flag}=${value}`]));
      const b = read(parse([`--${flag}`, value]));
      assert.deepEqual(a, b);
      assert.notDeepEqual(a, read(parse([])), 'the value given must differ from the default');
    });
  }
  assert.equal(parse(['--web.max-requests=0']).web.maxRequests, 0);
  assert.equal(parse(['--web.disable-exporter-metrics']).web.disableExporterMetrics, true);
});

test('collector options: values and explicit set', async (t) => {
  await t.test('value option given', () => {
    const alpha = collector(parse(['--collector.alpha.mode=z']), 'alpha');
    assert.equal(alpha.options.get('collector.alpha.mode'), 'z');
    assert.deepEqual([...alpha.explicit], ['collector.alpha.mode']);
  });
  await t.test('value option given equal to its default still counts as explicit', () => {
    const alpha = collector(parse(['--collector.alpha.mode', 'x']), 'alpha');
    assert.equal(alpha.options.get('collector.alpha.mode'), 'x');
    assert.ok(alpha.explicit.has('collector.alpha.mode'));
  });
  await t.test('repeatable option collects every value', () => {
    const alpha = collector(parse(['--collector.alpha.device', 'sda', '--collector.alpha.device=nvme0n1']), 'alpha');
    assert.deepEqual(alpha.options.get('collector.alpha.device'), ['sda', 'nvme0n1']);
    assert.deepEqual([...alpha.explicit], ['collector.alpha.device']);
  });
  await t.test('boolean option', () => {
    const on = collector(parse(['--collector.alpha.verbose']), 'alpha');
    assert.equal(on.options.get('collector.alpha.verbose'), true);
    assert.ok(on.explicit.has('collector.alpha.verbose'));
    const off = collector(parse(['--no-collector.alpha.verbose']), 'alpha');
    assert.equal(off.options.get('collector.alpha.verbose'), false);
    assert.ok(off.explicit.has('collector.alpha.verbose'));
  });
  await t.test('hidden option is still accepted', () => {
    const alpha = collector(parse(['--collector.alpha.secret=s']), 'alpha');
    assert.equal(alpha.options.get('collector.alpha.secret'), 's');
  });
  await t.test('options of one collector do not leak into another', () => {
    const c = parse(['--collector.alpha.mode=z']);
    assert.deepEqual([...collector(c, 'beta').explicit], []);
    assert.equal(collector(c, 'beta').options.size, 0);
  });
  await t.test('options are parsed even when the collector is disabled', () => {
    const alpha = collector(parse(['--no-collector.alpha', '--collector.alpha.mode=q']), 'alpha');
    assert.equal(alpha.enabled, false);
    assert.equal(alpha.options.get('collector.alpha.mode'), 'q');
  });
});

test('a repeatable option with a default: values given replace the default (kingpin semantics)', () => {
  const defs: CollectorDefinition[] = [
    { name: 'gamma', defaultEnabled: true, options: [{ flag: 'collector.gamma.item', help: 'Items.', repeatable: true, defaultValue: 'd' }], create: noop },
  ];
  assert.deepEqual(collector(parse([], defs), 'gamma').options.get('collector.gamma.item'), ['d']);
  assert.deepEqual(collector(parse(['--collector.gamma.item=a', '--collector.gamma.item=b'], defs), 'gamma').options.get('collector.gamma.item'), ['a', 'b']);
});

test('two parses do not share state', () => {
  const a = parse(['--web.listen-address=:1', '--collector.beta']);
  const b = parse([]);
  assert.deepEqual(a.web.listenAddresses, [':1']);
  assert.deepEqual(b.web.listenAddresses, [':9100']);
  assert.deepEqual(enabled(b), ['alpha']);
});

test('bad flags are ConfigErrors naming the flag', async (t) => {
  const cases: { argv: string[]; mentions: string[] }[] = [
    { argv: ['--bogus'], mentions: ['--bogus'] },
    { argv: ['--collector.gamma'], mentions: ['--collector.gamma'] },
    { argv: ['--collector.alpha.nope=1'], mentions: ['--collector.alpha.nope'] },
    { argv: ['stray-argument'], mentions: [] },
    { argv: ['--log.level', 'loud'], mentions: ['log.level', 'loud'] },
    { argv: ['--log.level=trace'], mentions: ['log.level', 'trace'] },
    { argv: ['--log.format=xml'], mentions: ['log.format', 'xml'] },
    { argv: ['--web.max-requests', '-1'], mentions: ['web.max-requests', '-1'] },
    { argv: ['--web.max-requests=-1'], mentions: ['web.max-requests', '-1'] },
    { argv: ['--web.max-requests', 'abc'], mentions: ['web.max-requests', 'abc'] },
    { argv: ['--web.max-requests=1.5'], mentions: ['web.max-requests', '1.5'] },
    { argv: ['--web.listen-address', '9100'], mentions: ['web.listen-address', '9100'] },
    { argv: ['--web.listen-address', 'host:99999'], mentions: ['web.listen-address', 'host:99999'] },
    { argv: ['--web.listen-address', '[::1]'], mentions: ['web.listen-address', '[::1]'] },
    { argv: ['--web.listen-address=:9100', '--web.listen-address=bad'], mentions: ['web.listen-address', 'bad'] },
    { argv: ['--web.telemetry-path', 'metrics'], mentions: ['web.telemetry-path', 'metrics'] },
    { argv: ['--web.scrape-timeout-offset=5'], mentions: ['web.scrape-timeout-offset'] },
    { argv: ['--web.default-scrape-timeout=soon'], mentions: ['web.default-scrape-timeout', 'soon'] },
    { argv: ['--path.procfs='], mentions: ['path.procfs'] },
    { argv: ['--path.udev.data='], mentions: ['path.udev.data'] },
    { argv: ['--web.max-requests'], mentions: ['web.max-requests'] },
  ];
  for (const c of cases) await t.test(c.argv.join(' '), () => assertConfigError(c.argv, ...c.mentions));
});

test('a stray argument is named in the error', () => assertConfigError(['--collector.alpha.verbose', 'true'], 'true'));

test('--help lists the flags and asks to exit', () => {
  const out = parseConfig(['--help'], DEFINITIONS, VERSION);
  assert.equal(out.config, undefined);
  assert.ok(out.exitText !== undefined);
  for (const flag of [
    '--collector.alpha',
    '--collector.beta',
    '--collector.alpha.mode',
    '--path.rootfs',
    '--path.procfs',
    '--web.listen-address',
    '--collector.disable-defaults',
  ]) {
    assert.ok(out.exitText.includes(flag), `--help should mention ${flag}`);
  }
  assert.ok(!out.exitText.includes('--collector.alpha.secret'), 'hidden options stay out of --help');
  assert.ok(out.exitText.indexOf('--collector.alpha ') < out.exitText.indexOf('--collector.beta'), 'collectors listed by name');
  assert.equal(parseConfig(['--help-long'], DEFINITIONS, VERSION).exitText, out.exitText, "kingpin's --help-long is accepted");
});

test('--version prints the version and asks to exit', () => {
  const out = parseConfig(['--version'], DEFINITIONS, VERSION);
  assert.equal(out.config, undefined);
  assert.ok(out.exitText?.includes(VERSION), `exit text ${JSON.stringify(out.exitText)}`);
});

test('parseDuration', async (t) => {
  const good: [string, number][] = [
    ['5s', 5000],
    ['500ms', 500],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['0', 0],
    ['0s', 0],
    ['2h', 7_200_000],
    ['1h1m1s', 3_661_000],
    ['1500us', 1.5],
    ['1000000ns', 1],
  ];
  for (const [text, ms] of good) await t.test(`${JSON.stringify(text)} → ${ms}`, () => assert.equal(parseDuration(text, 'x.flag'), ms));
  for (const bad of ['', '5', '5x', 's5', '5 s', ' 5s', '5s ', '1m30', 'ms', '1d']) {
    await t.test(`${JSON.stringify(bad)} is rejected`, () => {
      assert.throws(
        () => parseDuration(bad, 'x.flag'),
        (err: unknown) => err instanceof ConfigError && err.message.includes('--x.flag'),
      );
    });
  }
});

test('parseNonNegativeInt', () => {
  assert.equal(parseNonNegativeInt('0', 'n'), 0);
  assert.equal(parseNonNegativeInt('40', 'n'), 40);
  for (const bad of ['', '-1', 'abc', '1.5', '1e3', ' 1']) {
    assert.throws(() => parseNonNegativeInt(bad, 'n'), ConfigError, JSON.stringify(bad));
  }
});

test('parseListenAddress', async (t) => {
  const good: [string, string | undefined, number][] = [
    [':9100', undefined, 9100],
    ['127.0.0.1:9100', '127.0.0.1', 9100],
    ['[::1]:9100', '::1', 9100],
    ['[::]:9100', '::', 9100],
    ['localhost:0', 'localhost', 0],
    ['0.0.0.0:65535', '0.0.0.0', 65535],
  ];
  for (const [address, host, port] of good) {
    await t.test(address, () => assert.deepEqual(parseListenAddress(address), { host, port }));
  }
  for (const bad of ['9100', 'host:99999', '[::1]', '::1:9100', 'host:', ':', 'host:port', '', ':65536']) {
    await t.test(`${JSON.stringify(bad)} is rejected`, () => assert.throws(() => parseListenAddress(bad), ConfigError));
  }
});

test('compileRegexp', () => {
  const re = compileRegexp('^/(dev|proc)($|/)', 'collector.filesystem.mount-points-exclude');
  assert.ok(re.test('/dev/shm'));
  assert.ok(!re.test('/devices'));
  // Unanchored search, as Go's MatchString; and not stateful (no g flag).
  const un = compileRegexp('loop', 'f');
  assert.ok(un.test('/dev/loop0'));
  assert.ok(un.test('/dev/loop0'));
  assert.throws(
    () => compileRegexp('(', 'collector.filesystem.fs-types-exclude'),
    (err: unknown) => err instanceof ConfigError && err.message.includes('--collector.filesystem.fs-types-exclude') && err.message.includes('"("'),
  );
});

test('node_exporter flags that change nothing here are still accepted: --runtime.gomaxprocs; --web.systemd-socket is read', () => {
  assert.equal(parse([]).web.systemdSocket, false);
  assert.equal(parse(['--web.systemd-socket']).web.systemdSocket, true);
  parse(['--runtime.gomaxprocs=4']);
  parse(['--runtime.gomaxprocs', '-1']);
  assert.throws(() => parse(['--runtime.gomaxprocs=x']), ConfigError);
});

test('cachedMatcher answers as the regexp does, testing each name once', () => {
  let calls = 0;
  const re = /^pg/u;
  const orig = re.test.bind(re);
  re.test = (s: string) => {
    calls++;
    return orig(s);
  };
  const m = cachedMatcher(re);
  assert.deepEqual(['pgfault', 'nr_free', 'pgfault', 'nr_free'].map(m), [true, false, true, false]);
  assert.equal(calls, 2);
});
