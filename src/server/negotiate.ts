import type { NameEscaping } from '../exposition/series.js';

/** One entry of an Accept header: media type, parameters (names lower-cased), q. */
interface AcceptEntry {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

/**
 * Parses Accept as goautoneg (client_golang's) does: entries by q, highest first, and among
 * equal q a concrete type before a wildcard; q=0 entries dropped.
 */
function parseAccept(header: string | undefined): AcceptEntry[] {
  if (header === undefined) return [];
  const out: (AcceptEntry & { at: number })[] = [];
  header.split(',').forEach((part, at) => {
    const [media = '', ...rest] = part.split(';').map((p) => p.trim());
    const [type = '', subtype = '*'] = media.toLowerCase().split('/');
    if (type === '') return;
    const params = new Map<string, string>();
    let q = 1;
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      const k = p.slice(0, eq).trim().toLowerCase();
      const v = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (k === 'q') q = Number(v);
      else params.set(k, v);
    }
    if (!Number.isFinite(q) || q <= 0) return;
    out.push({ type, subtype, params, q, at });
  });
  const wild = (e: AcceptEntry) => (e.type === '*' ? 2 : 0) + (e.subtype === '*' ? 1 : 0);
  return out.sort((a, b) => b.q - a.q || wild(a) - wild(b) || a.at - b.at);
}

export type ExpositionFormat = 'text' | 'openmetrics-1.0.0' | 'openmetrics-0.0.1' | 'protobuf';

export interface Negotiated {
  format: ExpositionFormat;
  escaping: NameEscaping;
  contentType: string;
}

const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  'openmetrics-1.0.0': 'application/openmetrics-text; version=1.0.0; charset=utf-8',
  'openmetrics-0.0.1': 'application/openmetrics-text; version=0.0.1; charset=utf-8',
  protobuf: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
};

const ESCAPINGS: ReadonlySet<string> = new Set(['allow-utf-8', 'underscores', 'dots', 'values']);

/**
 * The exposition format for an Accept header, as client_golang's promhttp picks it for
 * node_exporter (expfmt.NegotiateIncludingOpenMetrics): entries in preference order; the
 * protobuf delimited format, the text format 0.0.4, or OpenMetrics 1.0.0 / 0.0.1 (0.0.1 when
 * no version is given); anything else (a wildcard included) falls back to the text format.
 * An `escaping=` parameter on an entry read so far sets how non-legacy names are written;
 * the default is underscores, and the Content-Type says which.
 */
export function negotiate(accept: string | undefined): Negotiated {
  let escaping: NameEscaping = 'underscores';
  let format: ExpositionFormat = 'text';
  for (const e of parseAccept(accept)) {
    const esc = e.params.get('escaping');
    if (esc !== undefined && ESCAPINGS.has(esc)) escaping = esc as NameEscaping;
    const version = e.params.get('version') ?? '';
    const media = `${e.type}/${e.subtype}`;
    if (media === 'application/vnd.google.protobuf' && e.params.get('proto') === 'io.prometheus.client.MetricFamily' && e.params.get('encoding') === 'delimited') {
      format = 'protobuf';
      break;
    }
    if (media === 'text/plain' && (version === '0.0.4' || version === '')) break;
    if (media === 'application/openmetrics-text' && (version === '0.0.1' || version === '1.0.0' || version === '')) {
      format = version === '1.0.0' ? 'openmetrics-1.0.0' : 'openmetrics-0.0.1';
      break;
    }
  }
  return { format, escaping, contentType: `${CONTENT_TYPES[format]}; escaping=${escaping}` };
}

/** True when gzip is acceptable: its own entry decides (q=0 refuses), else a "*" entry. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  const entries = (acceptEncoding ?? '').split(',').map((part) => {
    const [token = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { token, q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
  });
  const own = entries.find((e) => e.token === 'gzip') ?? entries.find((e) => e.token === '*');
  return own !== undefined && own.q > 0;
}
