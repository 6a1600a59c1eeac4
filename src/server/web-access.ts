import { monotonicMs } from '../clock.js';
import { cryptoModule } from '../builtins.js';
import type http from 'node:http';
import type { Logger } from '../logger.js';
import type { WebConfigFile } from './web-config.js';

/**
 * The bcrypt hash of a random password nobody knows: an unknown user is checked against it so
 * that answering "no such user" costs as much time as a wrong password (no user enumeration).
 */
const UNKNOWN_USER_HASH = '$2b$10$4/6P/nYmCft706/zAGnnoeUxrI6sh8xs42nTbd0S36cc6eFcrUAfy';
const CACHE_SIZE = 100;
/** bcrypt runs waiting beyond which a new one is refused: a flood of guesses cannot queue without end. */
const MAX_PENDING = 32;

const sha256 = (...parts: string[]): Buffer => {
  const h = cryptoModule().createHash('sha256');
  for (const p of parts) h.update(Buffer.from(p, 'utf8')).update('\0');
  return h.digest();
};

/** A token bucket like golang.org/x/time/rate's Limiter.Allow: starts full, one token per interval. */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly intervalMs: number,
    private readonly burst: number,
    private readonly now: () => number = monotonicMs,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  allow(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (t - this.last) / this.intervalMs);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Go's Request.BasicAuth: "Basic " (any case) + base64("user:password"). */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined || header.length < 6 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const encoded = header.slice(6);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * bcrypt is slow on purpose (~100 ms at cost 10 in JS); a scraper sends the same credentials
 * every few seconds. Successful verifications are remembered, keyed by user + stored hash (so a
 * changed hash in the file invalidates them) with a digest of the password compared in constant
 * time; only the first scrape, and every wrong password, pays bcrypt. Verifications run one at a
 * time, as exporter-toolkit's mutex does, so a flood of wrong passwords cannot use every core.
 */
export class BasicAuthVerifier {
  private readonly verified = new Map<string, Buffer>();
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** 'busy': too many verifications already waiting; the caller answers 429. */
  async verify(users: ReadonlyMap<string, string>, user: string, password: string): Promise<boolean | 'busy'> {
    const stored = users.get(user);
    const hash = stored ?? UNKNOWN_USER_HASH;
    const key = sha256(user, hash).toString('hex');
    const digest = sha256(password);
    const known = this.verified.get(key);
    if (stored !== undefined && known !== undefined && cryptoModule().timingSafeEqual(known, digest)) return true;
    if (this.pending >= MAX_PENDING) return 'busy';
    this.pending++;
    // bcryptjs is loaded with the first password to check: only basic auth needs it.
    const run = this.queue.then(async () => (await import('bcryptjs')).default.compare(password, hash));
    this.queue = run.catch(() => false);
    const ok = (await run.catch(() => false).finally(() => this.pending--)) && stored !== undefined;
    if (ok) this.remember(key, digest);
    return ok;
  }

  private remember(key: string, digest: Buffer): void {
    if (this.verified.size >= CACHE_SIZE) {
      // Drop a random tenth, as exporter-toolkit's cache does, rather than one entry per insert.
      const keys = [...this.verified.keys()];
      for (let i = 0; i <= CACHE_SIZE / 10; i++) this.verified.delete(keys[Math.floor(Math.random() * keys.length)] ?? '');
    }
    this.verified.set(key, digest);
  }
}

/**
 * What --web.config.file puts in front of every request, in exporter-toolkit's order: the file
 * (re-read when changed; unreadable → 500), the rate limit (→ 429), the configured response
 * headers, then basic auth (→ 401 with WWW-Authenticate and nothing else).
 */
export class WebAccess {
  private readonly limiter: RateLimiter | undefined;
  private readonly verifier = new BasicAuthVerifier();

  constructor(
    private readonly config: () => WebConfigFile,
    private readonly logger: Logger,
  ) {
    // Like exporter-toolkit, the limiter is built once at start; a changed rate_limit needs a restart.
    const { intervalMs, burst } = config().rateLimit;
    this.limiter = intervalMs > 0 ? new RateLimiter(intervalMs, burst) : undefined;
    if (this.limiter !== undefined) logger.info('Rate Limiter is enabled.', { burst, interval: `${intervalMs}ms` });
  }

  /** true: serve the request; false: the answer has been sent. */
  async admit(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
    let c: WebConfigFile;
    try {
      c = this.config();
    } catch (err) {
      this.logger.error('Unable to parse configuration', { err });
      reject(req, res, 500, 'Internal Server Error');
      return false;
    }
    if (this.limiter !== undefined && !this.limiter.allow()) {
      reject(req, res, 429, 'Too Many Requests');
      return false;
    }
    for (const [name, value] of Object.entries(c.http.headers)) res.setHeader(name, value);
    if (c.users.size === 0) return true;
    const creds = parseBasicAuth(req.headers.authorization);
    const verdict = creds === undefined ? false : await this.verifier.verify(c.users, creds.user, creds.password);
    if (verdict === true) return true;
    if (verdict === 'busy') {
      reject(req, res, 429, 'Too Many Requests');
      return false;
    }
    res.setHeader('WWW-Authenticate', 'Basic');
    reject(req, res, 401, 'Unauthorized');
    return false;
  }
}

function reject(req: http.IncomingMessage, res: http.ServerResponse, status: number, text: string): void {
  const body = `${text}\n`;
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // A refused request's body is never read: close rather than drain it for keep-alive.
  if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') res.setHeader('Connection', 'close');
  res.end(req.method === 'HEAD' ? undefined : body);
}
