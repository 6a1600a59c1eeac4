import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsGzip, negotiate } from '../../src/server/negotiate.js';

const wantsOpenMetrics = (accept: string | undefined): boolean => negotiate(accept).format.startsWith('openmetrics');

// What Prometheus (3.x, default scrape_protocols) sends.
const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

test('wantsOpenMetrics', async (t) => {
  const cases: [accept: string | undefined, want: boolean][] = [
    [PROMETHEUS_ACCEPT, true],
    // Prometheus 2.x default.
    ['application/openmetrics-text;version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1', true],
    // Prometheus with scrape_protocols: [PrometheusText0.0.4] first.
    ['text/plain;version=0.0.4;q=1,application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1', false],
    ['text/plain', false],
    ['text/plain;version=0.0.4', false],
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/openmetrics-text', true],
    ['Application/OpenMetrics-Text; version=1.0.0', true],
    ['application/openmetrics-text;q=0', false],
    ['application/openmetrics-text;q=0.2, text/plain;q=0.9', false],
    ['text/plain;q=0.2, application/openmetrics-text;q=0.9', true],
    ['application/json', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
  ];
  for (const [accept, want] of cases) {
    await t.test(`${JSON.stringify(accept)} → ${want}`, () => assert.equal(wantsOpenMetrics(accept), want));
  }
});

test('negotiate: formats, versions and escaping as client_golang picks them', async (t) => {
  const PROTO = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
  const cases: [accept: string | undefined, format: string, contentType: string][] = [
    [undefined, 'text', 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores'],
    // Prometheus 3 with native histograms (PrometheusProto first).
    [
      `${PROTO};q=0.6,application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1`,
      'protobuf',
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores',
    ],
    [`${PROTO};escaping=allow-utf-8`, 'protobuf', 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=allow-utf-8'],
    // Other protobuf encodings (text, compact-text: long deprecated) are not served: next entry.
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text,text/plain;q=0.5',
      'text',
      'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
    ],
    ['application/openmetrics-text', 'openmetrics-0.0.1', 'application/openmetrics-text; version=0.0.1; charset=utf-8; escaping=underscores'],
    ['application/openmetrics-text;version=1.0.0;escaping=allow-utf-8', 'openmetrics-1.0.0', 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8'],
    ['application/openmetrics-text;version=2.0.0,text/plain;q=0.1', 'text', 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores'],
    ['text/plain;version=0.0.4;escaping=dots', 'text', 'text/plain; version=0.0.4; charset=utf-8; escaping=dots'],
    ['text/plain;escaping=bogus', 'text', 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores'],
  ];
  for (const [accept, format, contentType] of cases) {
    await t.test(`${JSON.stringify(accept)} → ${format}`, () => {
      const n = negotiate(accept);
      assert.equal(n.format, format);
      assert.equal(n.contentType, contentType);
    });
  }
});

test('acceptsGzip', async (t) => {
  const cases: [acceptEncoding: string | undefined, want: boolean][] = [
    ['gzip', true],
    ['gzip, deflate', true],
    ['gzip, deflate, br', true],
    ['deflate, gzip;q=1.0, *;q=0.5', true],
    ['GZIP', true],
    ['gzip;q=0.5', true],
    ['*', true],
    ['gzip;q=0', false],
    ['gzip; q=0.0', false],
    ['identity', false],
    ['deflate, br', false],
    ['*;q=0', false],
    ['', false],
    [undefined, false],
  ];
  for (const [header, want] of cases) {
    await t.test(`${JSON.stringify(header)} → ${want}`, () => assert.equal(acceptsGzip(header), want));
  }
});

test('acceptsGzip: gzip refused explicitly is not re-allowed by "*"', () => {
  assert.equal(acceptsGzip('gzip;q=0, *'), false);
  assert.equal(acceptsGzip('*, gzip;q=0'), false);
});
