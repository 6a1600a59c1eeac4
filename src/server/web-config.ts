import path from 'node:path';
import { createRequire } from 'node:module';

type YamlModule = typeof import('yaml');
// Loaded when a --web.config.file is read: ~8 MiB of RSS that an exporter without one never needs.
let yamlModule: YamlModule | undefined;
const yaml = (): YamlModule => (yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule);
import { ConfigError } from '../collector.js';
import { parseDuration } from '../config.js';

/**
 * exporter-toolkit's web-config file (--web.config.file): parsed strictly, as its
 * yaml.UnmarshalStrict does — an unknown key, a value of the wrong shape or an unknown enum
 * value is an error naming the key. Where exporter-toolkit silently prefers one of two keys
 * (cert and cert_file both set) we refuse instead: a config that says two things is a mistake.
 */

export const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

/** exporter-toolkit's version names → Node's minVersion/maxVersion values. */
export const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
export type TlsVersionName = keyof typeof TLS_VERSIONS;

/**
 * Go's tls.CipherSuites() names → OpenSSL names. TLS 1.3 suites map to undefined: Go accepts the
 * names but TLS 1.3 suites are not configurable there, so all of them stay enabled (as in Node
 * when the list names only TLS 1.2 suites). Go's "insecure" suites are unknown to
 * exporter-toolkit, so they are refused here too.
 */
export const CIPHER_SUITES: Readonly<Record<string, string | undefined>> = {
  TLS_AES_128_GCM_SHA256: undefined,
  TLS_AES_256_GCM_SHA384: undefined,
  TLS_CHACHA20_POLY1305_SHA256: undefined,
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
};

/** exporter-toolkit's curve names → OpenSSL group names (Node's ecdhCurve). */
export const CURVES: Readonly<Record<string, string>> = { CurveP256: 'P-256', CurveP384: 'P-384', CurveP521: 'P-521', X25519: 'X25519' };

/** The only response headers exporter-toolkit lets a config set, with their allowed values. */
const EXTRA_HEADERS: Readonly<Record<string, readonly string[] | undefined>> = {
  'Strict-Transport-Security': undefined,
  'X-Content-Type-Options': ['nosniff'],
  'X-Frame-Options': ['deny', 'sameorigin'],
  'X-XSS-Protection': undefined,
  'Content-Security-Policy': undefined,
};

/** bcrypt variants bcryptjs verifies ($2a$, $2b$, $2y$ are the same algorithm); cost 4..31. */
const BCRYPT_HASH = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

export interface TlsServerConfig {
  /** Inline PEM, or '' when the file form is used. */
  cert: string;
  key: string;
  clientCa: string;
  /** Absolute (resolved against the config file's directory), or ''. */
  certFile: string;
  keyFile: string;
  clientCaFile: string;
  clientAuthType: ClientAuthType;
  clientAllowedSans: string[] | undefined;
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  /** Go names, validated against CIPHER_SUITES. */
  cipherSuites: string[];
  /** Go names, validated against CURVES. */
  curvePreferences: string[];
  preferServerCipherSuites: boolean;
}

export interface WebConfigFile {
  /** undefined: no TLS key set, the server speaks plain HTTP. */
  tls: TlsServerConfig | undefined;
  http: { http2: boolean; headers: Record<string, string> };
  /** user → bcrypt hash; empty: no authentication. */
  users: Map<string, string>;
  /** intervalMs 0: no rate limit. */
  rateLimit: { intervalMs: number; burst: number };
}

type Yaml = string | null | Yaml[] | { [k: string]: Yaml };

const isEmpty = (v: Yaml | undefined): boolean => v === undefined || v === null || v === '' || v === '~' || v === 'null' || v === 'Null' || v === 'NULL';

class Reader {
  constructor(private readonly file: string) {}

  fail(key: string, message: string): never {
    throw new ConfigError(`web config file ${this.file}: ${key}: ${message}`);
  }

  map(v: Yaml | undefined, key: string, allowed: readonly string[] | undefined): Record<string, Yaml> {
    if (isEmpty(v)) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(key, 'expected a mapping');
    if (allowed !== undefined) {
      for (const k of Object.keys(v)) {
        if (!allowed.includes(k)) this.fail(key, `unknown key ${JSON.stringify(k)} (known: ${allowed.join(', ')})`);
      }
    }
    return v;
  }

  str(v: Yaml | undefined, key: string): string {
    if (isEmpty(v)) return '';
    if (typeof v !== 'string') this.fail(key, 'expected a string');
    return v;
  }

  bool(v: Yaml | undefined, key: string, fallback: boolean): boolean {
    if (isEmpty(v)) return fallback;
    // YAML 1.1 spellings, as Go's yaml.v2 reads them.
    if (typeof v === 'string' && /^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(v)) return true;
    if (typeof v === 'string' && /^(false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(v)) return false;
    return this.fail(key, `expected true or false, got ${JSON.stringify(v)}`);
  }

  list(v: Yaml | undefined, key: string): string[] | undefined {
    if (isEmpty(v)) return undefined;
    if (!Array.isArray(v)) this.fail(key, 'expected a list');
    return v.map((item, i) => this.str(item, `${key}[${i}]`));
  }

  oneOf<T extends string>(v: Yaml | undefined, key: string, allowed: readonly T[], fallback: T): T {
    const s = this.str(v, key);
    if (s === '') return fallback;
    if (!(allowed as readonly string[]).includes(s)) this.fail(key, `unknown value ${JSON.stringify(s)} (known: ${allowed.join(', ')})`);
    return s as T;
  }
}

const TLS_KEYS = [
  'cert',
  'key',
  'client_ca',
  'cert_file',
  'key_file',
  'client_auth_type',
  'client_ca_file',
  'client_allowed_sans',
  'min_version',
  'max_version',
  'cipher_suites',
  'curve_preferences',
  'prefer_server_cipher_suites',
];

function parseTls(r: Reader, v: Yaml | undefined, dir: string): TlsServerConfig | undefined {
  const t = r.map(v, 'tls_server_config', TLS_KEYS);
  // Relative file names are relative to the config file, as exporter-toolkit's SetDirectory.
  const file = (key: string) => {
    const p = r.str(t[key], `tls_server_config.${key}`);
    return p === '' ? '' : path.resolve(dir, p);
  };
  const out: TlsServerConfig = {
    cert: r.str(t.cert, 'tls_server_config.cert'),
    key: r.str(t.key, 'tls_server_config.key'),
    clientCa: r.str(t.client_ca, 'tls_server_config.client_ca'),
    certFile: file('cert_file'),
    keyFile: file('key_file'),
    clientCaFile: file('client_ca_file'),
    clientAuthType: r.oneOf(
      t.client_auth_type === 'RequireClientCert' ? 'RequireAnyClientCert' : t.client_auth_type,
      'tls_server_config.client_auth_type',
      CLIENT_AUTH_TYPES,
      'NoClientCert',
    ),
    clientAllowedSans: r.list(t.client_allowed_sans, 'tls_server_config.client_allowed_sans'),
    minVersion: r.oneOf(t.min_version, 'tls_server_config.min_version', Object.keys(TLS_VERSIONS) as TlsVersionName[], 'TLS12'),
    maxVersion: r.oneOf(t.max_version, 'tls_server_config.max_version', Object.keys(TLS_VERSIONS) as TlsVersionName[], 'TLS13'),
    cipherSuites: (r.list(t.cipher_suites, 'tls_server_config.cipher_suites') ?? []).map((c) =>
      c in CIPHER_SUITES ? c : r.fail('tls_server_config.cipher_suites', `unknown cipher ${JSON.stringify(c)} (known: ${Object.keys(CIPHER_SUITES).join(', ')})`),
    ),
    curvePreferences: (r.list(t.curve_preferences, 'tls_server_config.curve_preferences') ?? []).map((c) =>
      c in CURVES ? c : r.fail('tls_server_config.curve_preferences', `unknown curve ${JSON.stringify(c)} (known: ${Object.keys(CURVES).join(', ')})`),
    ),
    preferServerCipherSuites: r.bool(t.prefer_server_cipher_suites, 'tls_server_config.prefer_server_cipher_suites', true),
  };
  // exporter-toolkit's IsEnabled: any of these keys turns TLS on (and then requires cert + key).
  const enabled = [out.cert, out.key, out.clientCa, out.certFile, out.keyFile, out.clientCaFile].some((s) => s !== '') || !isEmpty(t.client_auth_type);
  if (!enabled) return undefined;
  if (out.cert !== '' && out.certFile !== '') r.fail('tls_server_config', 'set cert or cert_file, not both');
  if (out.key !== '' && out.keyFile !== '') r.fail('tls_server_config', 'set key or key_file, not both');
  if (out.clientCa !== '' && out.clientCaFile !== '') r.fail('tls_server_config', 'set client_ca or client_ca_file, not both');
  if (out.cert === '' && out.certFile === '') r.fail('tls_server_config', 'missing one of cert or cert_file');
  if (out.key === '' && out.keyFile === '') r.fail('tls_server_config', 'missing one of key or key_file');
  if ((out.clientCa !== '' || out.clientCaFile !== '') && out.clientAuthType === 'NoClientCert') {
    r.fail('tls_server_config', "client CA's have been configured without a Client Auth Policy (set client_auth_type)");
  }
  const order = Object.keys(TLS_VERSIONS);
  if (order.indexOf(out.minVersion) > order.indexOf(out.maxVersion)) r.fail('tls_server_config', `min_version ${out.minVersion} is above max_version ${out.maxVersion}`);
  return out;
}

function parseHttp(r: Reader, v: Yaml | undefined): WebConfigFile['http'] {
  const h = r.map(v, 'http_server_config', ['http2', 'headers']);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.map(h.headers, 'http_server_config.headers', undefined))) {
    const key = `http_server_config.headers.${name}`;
    if (!(name in EXTRA_HEADERS)) r.fail(key, `HTTP header ${JSON.stringify(name)} can not be configured (allowed: ${Object.keys(EXTRA_HEADERS).join(', ')})`);
    const s = r.str(value, key);
    const allowed = EXTRA_HEADERS[name];
    if (allowed !== undefined && !allowed.includes(s)) r.fail(key, `invalid value ${JSON.stringify(s)}, expected one of ${allowed.join(', ')}`);
    if (s !== '') headers[name] = s;
  }
  return { http2: r.bool(h.http2, 'http_server_config.http2', true), headers };
}

function parseUsers(r: Reader, v: Yaml | undefined): Map<string, string> {
  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(r.map(v, 'basic_auth_users', undefined))) {
    const key = `basic_auth_users.${user}`;
    const h = r.str(hash, key);
    const m = BCRYPT_HASH.exec(h);
    const cost = Number(m?.[1]);
    if (m === null || cost < 4 || cost > 31) r.fail(key, 'not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31, 60 characters; e.g. from `htpasswd -nBC 10 ""`)');
    users.set(user, h);
  }
  return users;
}

function parseRateLimit(r: Reader, v: Yaml | undefined): WebConfigFile['rateLimit'] {
  const l = r.map(v, 'rate_limit', ['interval', 'burst']);
  const interval = r.str(l.interval, 'rate_limit.interval');
  let intervalMs = 0;
  // A bare integer is nanoseconds, as Go's yaml reads a time.Duration.
  if (/^\d+$/.test(interval)) intervalMs = Number(interval) / 1e6;
  else if (interval !== '') {
    try {
      intervalMs = parseDuration(interval, 'rate_limit.interval');
    } catch {
      r.fail('rate_limit.interval', `invalid duration ${JSON.stringify(interval)} (use e.g. 1s, 500ms)`);
    }
  }
  const burstText = r.str(l.burst, 'rate_limit.burst');
  if (burstText !== '' && !/^\d+$/.test(burstText)) r.fail('rate_limit.burst', `expected a non-negative integer, got ${JSON.stringify(burstText)}`);
  return { intervalMs, burst: burstText === '' ? 0 : Number(burstText) };
}

/** Parses the text of a web-config file; `file` names it in errors and anchors relative paths. */
export function parseWebConfig(text: string, file: string): WebConfigFile {
  const r = new Reader(file);
  // failsafe: every scalar is a string, so types are checked here, not guessed by the parser.
  const doc = yaml().parseDocument(text, { schema: 'failsafe', uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first !== undefined) throw new ConfigError(`web config file ${file}: invalid YAML: ${first.message}`);
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias without its anchor, or one expanding too far, surfaces only here (a ReferenceError).
    throw new ConfigError(`web config file ${file}: invalid YAML: ${(err as Error).message}`);
  }
  const top = r.map(js as Yaml, '(top level)', ['tls_server_config', 'http_server_config', 'basic_auth_users', 'rate_limit']);
  return {
    tls: parseTls(r, top.tls_server_config, path.dirname(path.resolve(file))),
    http: parseHttp(r, top.http_server_config),
    users: parseUsers(r, top.basic_auth_users),
    rateLimit: parseRateLimit(r, top.rate_limit),
  };
}
