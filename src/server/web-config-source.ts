import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../collector.js';
import { loadTlsMaterial, type TlsMaterial, type TlsSource } from './tls.js';
import { parseWebConfig, type WebConfigFile } from './web-config.js';

/**
 * Kernels stamp mtime from a coarse clock (a few ms): two same-size writes inside one tick look
 * identical. A file changed this recently gets a signature that never matches, so it is re-read
 * until it has been quiet for a while.
 */
const SETTLE_MS = 2_000;
let unsettled = 0;

/** Identity of a file's current content, cheap enough to take on every request and connection. */
function signature(file: string): string {
  try {
    const st = statSync(file, { bigint: true });
    if (Date.now() - Number(st.mtimeMs) < SETTLE_MS || Date.now() - Number(st.ctimeMs) < SETTLE_MS) return `unsettled:${unsettled++}`;
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch (err) {
    return `unreadable:${(err as NodeJS.ErrnoException).code ?? ''}`;
  }
}

function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  const { cert: ac, key: ak, ca: aca, ...aRest } = a.options;
  const { cert: bc, key: bk, ca: bca, ...bRest } = b.options;
  const same = (x: unknown, y: unknown) => (Buffer.isBuffer(x) && Buffer.isBuffer(y) ? x.equals(y) : x === y);
  return (
    same(ac, bc) &&
    same(ak, bk) &&
    same(aca, bca) &&
    JSON.stringify(aRest) === JSON.stringify(bRest) &&
    a.requestCert === b.requestCert &&
    a.rejectUnauthorized === b.rejectUnauthorized &&
    a.policy === b.policy
  );
}

/**
 * The --web.config.file, re-read whenever it (or a certificate it names) changes: exporter-toolkit
 * reads the file on every request and every TLS handshake; we stat it instead and parse again
 * only when it changed, which gives the same answers for a fraction of the work. A file that
 * turns bad after start makes requests fail (500) and handshakes fail until it is fixed, as there.
 */
export class WebConfigSource implements TlsSource {
  private configSig = '';
  private config: WebConfigFile | undefined;
  private tlsSig = '';
  private material: TlsMaterial | undefined;

  private constructor(readonly file: string) {}

  /** Reads and validates everything now (users, headers, certificates): a bad file throws ConfigError. */
  static load(file: string): WebConfigSource {
    const source = new WebConfigSource(file);
    source.tls();
    return source;
  }

  current(): WebConfigFile {
    const sig = signature(this.file);
    if (sig !== this.configSig || this.config === undefined) {
      let text: string;
      try {
        text = readFileSync(this.file, 'utf8');
      } catch (err) {
        throw new ConfigError(`web config file ${this.file}: ${(err as Error).message}`);
      }
      this.config = parseWebConfig(text, this.file);
      this.configSig = sig;
    }
    return this.config;
  }

  tls(): TlsMaterial | undefined {
    const c = this.current().tls;
    if (c === undefined) return undefined;
    const sig = [this.configSig, ...[c.certFile, c.keyFile, c.clientCaFile].map((f) => (f === '' ? '' : signature(f)))].join('|');
    if (sig !== this.tlsSig || this.material === undefined) {
      try {
        const next = loadTlsMaterial(c);
        // Re-read but unchanged (e.g. a file touched, or still settling): keep the live context.
        if (this.material === undefined || !sameTls(this.material, next)) this.material = next;
      } catch (err) {
        throw err instanceof ConfigError ? new ConfigError(`web config file ${this.file}: ${err.message}`) : err;
      }
      this.tlsSig = sig;
    }
    return this.material;
  }
}
