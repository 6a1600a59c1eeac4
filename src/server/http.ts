import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { httpModule } from '../builtins.js';
import { encodeOpenMetrics } from '../exposition/openmetrics.js';
import { encodeProtobuf } from '../exposition/protobuf.js';
import { CollectorSink, SinkLayout } from '../exposition/sink.js';
import type { SnapshotFamily } from '../exposition/snapshot.js';
import { ChunkWriter, encodeText } from '../exposition/text.js';
import type { ListenAddress, WebConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { releaseSnapshot, type Scraper } from '../scrape.js';
import { acceptsGzip, negotiate, type Negotiated } from './negotiate.js';
import { landingPage } from './landing.js';
import type { SelfMetrics } from './self-metrics.js';
import { createTlsServer, type TlsSource } from './tls.js';
import type { WebAccess } from './web-access.js';
import { type HeapTrimHooks, HeapTrimmer } from './heap-trim.js';
import { v8AfterScrape } from '../v8-tuning.js';
import { GZIP_LEVEL, gzipWhole } from './gzip.js';
import { httpDate } from './http-date.js';

/** Bodies up to this size are compressed in one call on the event loop (well under a millisecond). */
const SYNC_GZIP_MAX = 256 * 1024;
/** The heap trim after start-up: once logging the host's limits and the first timers are done. */
const START_TRIM_DELAY_MS = 2000;

/**
 * Where a gzipped text answer is written before it is deflated: one Buffer of SYNC_GZIP_MAX
 * bytes kept for the process's life (only the pages the largest answer reached are resident),
 * instead of two or three fresh ones per scrape (malloc'd outside V8's heap, freed only once a
 * young-generation collection finds them dead) and a copy joining them. Encoding and deflating
 * are one synchronous stretch, so scrapes never share it; a body that outgrows it continues in
 * fresh Buffers, and the part written here is copied before anything asynchronous reads it.
 */
let gzipScratch: Buffer | undefined;

/**
 * The whole body in the negotiated format, as the chunks the encoder made; the text formats
 * start in `scratch` when one is given.
 */
function encode(families: readonly SnapshotFamily[], n: Negotiated, scratch: Buffer | undefined): (string | Buffer)[] {
  if (n.format === 'protobuf') return [...encodeProtobuf(families, n.escaping)];
  const w = new ChunkWriter(scratch);
  if (n.format === 'text') return encodeText(families, n.escaping, w);
  return encodeOpenMetrics(families, n.escaping, w);
}

/** Chunks that live past this synchronous stretch must not be views of the scratch space: copied. */
export function ownChunks(chunks: readonly (string | Buffer)[], scratch: Buffer | undefined): (string | Buffer)[] {
  if (scratch === undefined) return [...chunks];
  return chunks.map((c) => (typeof c !== 'string' && c.buffer === scratch.buffer ? Buffer.from(c) : c));
}

/** Connection limits so a slow or silent client cannot hold a socket for ever. */
export const TIMEOUTS = {
  headersMs: 10_000,
  /** Whole request, body included; a /metrics GET has no body, so this is generous. */
  requestMs: 60_000,
  /** Idle keep-alive connection between two scrapes. */
  keepAliveMs: 65_000,
  /**
   * How often Node checks the two timeouts above, so a slow client is cut 10-15 s after it
   * connects. Each check wakes the process even with no client (Prometheus scrapes every 15-60
   * s): every 1 s the wake-ups cost ~0.6 ms of CPU each on this VM, a third of the exporter's CPU
   * per 15 s interval (bench/compare.ts --interval, README "Memory").
   */
  checkIntervalMs: 5_000,
  /** Request line plus headers; beyond it a 431 (Node's default, pinned against --max-http-header-size). */
  maxHeaderBytes: 16 * 1024,
} as const;

/**
 * What a client error is answered with, as Node answers by default: oversized headers 431,
 * timeouts 408, other parse errors 400. Undefined for errors outside HTTP (a TLS handshake that
 * failed or timed out, a reset): there is no HTTP exchange to answer, and plain text written to
 * a TLS socket mid-handshake would sit in its buffer and keep the connection open.
 */
function clientErrorStatus(err: NodeJS.ErrnoException): string | undefined {
  if (err.code === 'HPE_HEADER_OVERFLOW') return '431 Request Header Fields Too Large';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return '408 Request Timeout';
  if (err.code?.startsWith('HPE_') === true) return '400 Bad Request';
  return undefined;
}

/** No endpoint takes a body: one that is announced is refused unread rather than drained. */
function hasBody(req: http.IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export interface MetricsServerOptions {
  web: WebConfig;
  scraper: Scraper;
  self: SelfMetrics;
  logger: Logger;
  /** --web.config.file: checks in front of every request (headers, rate limit, basic auth). */
  access?: WebAccess;
  /** --web.config.file with tls_server_config: serve HTTPS from this (re-read) TLS configuration. */
  tls?: TlsSource;
  /**
   * Told once after listening and as each scrape ends, to give the C heap's free pages back once
   * scrapes pause (default: a HeapTrimmer).
   */
  heapTrimmer?: HeapTrimHooks;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** collect[] / exclude[] → the collectors to run; unknown names are the client's mistake. */
export function selectCollectors(url: URL, enabled: readonly string[]): string[] {
  const collects = url.searchParams.getAll('collect[]');
  const excludes = url.searchParams.getAll('exclude[]');
  if (collects.length > 0 && excludes.length > 0) {
    throw new HttpError(400, 'Combined collect and exclude queries are not allowed.');
  }
  const named = collects.length > 0 ? collects : excludes;
  const unknown = named.filter((n) => !enabled.includes(n));
  if (unknown.length > 0) {
    throw new HttpError(400, `unknown or disabled collector: ${unknown.join(', ')} (enabled: ${enabled.join(', ')})`);
  }
  if (collects.length > 0) return [...new Set(collects)].sort();
  return enabled.filter((n) => !excludes.includes(n));
}

/** The scrape deadline for a request: Prometheus' own timeout, less a margin to answer in. */
export function scrapeTimeoutMs(header: string | string[] | undefined, web: WebConfig): number {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  if (header === undefined || !Number.isFinite(seconds) || seconds <= 0) return web.defaultScrapeTimeoutMs;
  const total = seconds * 1000;
  const withMargin = total - web.scrapeTimeoutOffsetMs;
  // A timeout shorter than the offset still gets half of itself rather than nothing.
  return withMargin > 0 ? withMargin : total / 2;
}

export class MetricsServer {
  private readonly servers: (http.Server | https.Server)[] = [];
  private inFlight = 0;
  private closing = false;
  /** The family slots of the exporter's own metrics, kept from request to request (see SinkLayout). */
  private readonly selfLayout = new SinkLayout();
  private readonly heapTrimmer: HeapTrimHooks;
  /** Stops the heap trimmer when the server closes: its trim after start-up and any pending one. */
  private stopHeapTrimmer: (() => void) | undefined;

  constructor(private readonly opts: MetricsServerOptions) {
    this.heapTrimmer = opts.heapTrimmer ?? new HeapTrimmer(opts.logger);
  }

  /** Listens on every address; rejects (and closes what was opened) if any cannot be bound. */
  async listen(addresses: readonly ListenAddress[]): Promise<AddressInfo[]> {
    try {
      for (const addr of addresses) {
        const server = this.createServer(
          {
            headersTimeout: TIMEOUTS.headersMs,
            requestTimeout: TIMEOUTS.requestMs,
            keepAliveTimeout: TIMEOUTS.keepAliveMs,
            connectionsCheckingInterval: TIMEOUTS.checkIntervalMs,
            maxHeaderSize: TIMEOUTS.maxHeaderBytes,
          },
          (req, res) => void this.handle(req, res),
        );
        this.servers.push(server);
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen('fd' in addr ? { fd: addr.fd } : { port: addr.port, host: addr.host }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        server.on('error', (err) => this.opts.logger.error('http server error', { err }));
        server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
          this.opts.logger.debug('bad client request', { err });
          const status = clientErrorStatus(err);
          // Destroyed once the answer is flushed: a client that never closes its side keeps nothing open.
          if (status !== undefined && socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`, () => socket.destroy());
          else socket.destroy();
        });
      }
    } catch (err) {
      await this.close();
      throw err;
    }
    this.stopHeapTrimmer = this.heapTrimmer.afterStart(START_TRIM_DELAY_MS, () => this.inFlight);
    return this.servers.map((s) => s.address() as AddressInfo);
  }

  /** Stops accepting, lets in-flight scrapes finish (up to graceMs), then drops what is left. */
  async close(graceMs = 5_000): Promise<void> {
    // Answers still in flight ask their keep-alive connection to close, so close() need not wait.
    this.closing = true;
    this.stopHeapTrimmer?.();
    const closing = this.servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())));
    for (const s of this.servers) s.closeIdleConnections();
    const timer = setTimeout(() => {
      for (const s of this.servers) s.closeAllConnections();
    }, graceMs);
    await Promise.all(closing);
    clearTimeout(timer);
  }

  private createServer(options: http.ServerOptions, handler: http.RequestListener): http.Server | https.Server {
    const { tls, logger } = this.opts;
    return tls === undefined ? httpModule.createServer(options, handler) : createTlsServer(options, tls, handler, logger);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { web, logger } = this.opts;
    // Every answer's Date header, refusals included (Node.js would add the same; see httpDate).
    res.setHeader('Date', httpDate(Date.now()));
    try {
      // A refused request with a body (401, 429 below) must not leave its body to be drained.
      if (hasBody(req)) res.setHeader('Connection', 'close');
      if (this.opts.access !== undefined && !(await this.opts.access.admit(req, res))) return;
      const url = new URL(req.url ?? '/', 'http://localhost');
      const isMetrics = url.pathname === web.telemetryPath;
      const isLanding = url.pathname === '/' && !isMetrics;
      if (!isMetrics && !isLanding) throw new HttpError(404, '404 page not found');
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        throw new HttpError(405, `method ${req.method ?? ''} not allowed`);
      }
      if (hasBody(req)) throw new HttpError(413, 'request bodies are not accepted');
      if (isLanding) {
        this.send(req, res, 200, 'text/html; charset=utf-8', landingPage(web.telemetryPath));
        return;
      }
      await this.serveMetrics(req, res, url);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 500;
      if (status === 500) logger.error('error serving request', { err, url: req.url });
      this.send(req, res, status, 'text/plain; charset=utf-8', `${(err as Error).message}\n`);
    }
  }

  private async serveMetrics(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const { web, scraper, self } = this.opts;
    if (web.maxRequests > 0 && this.inFlight >= web.maxRequests) {
      self.countRequest(503);
      throw new HttpError(503, `Limit of concurrent requests reached (${web.maxRequests}), try again later.`);
    }
    const names = selectCollectors(url, scraper.names);
    this.inFlight++;
    self.inFlight++;
    try {
      const negotiated = negotiate(req.headers.accept);
      const own = new CollectorSink(this.selfLayout);
      // Written while the collectors run (its reads go in their first trip to the addon), not
      // before them; the scrape waits for it before assembling. Handled here too, so a failure
      // is not unhandled should the scrape itself fail first.
      const ownWritten = self.writeTo(own);
      ownWritten.catch(() => {});
      const snapshot = await scraper.scrape(names, scrapeTimeoutMs(req.headers['x-prometheus-scrape-timeout-seconds'], web), own, ownWritten);
      const gzip = acceptsGzip(req.headers['accept-encoding']);
      // From here to the deflated body, nothing awaits (see gzipScratch).
      const scratch = gzip && req.method !== 'HEAD' ? (gzipScratch ??= Buffer.allocUnsafeSlow(SYNC_GZIP_MAX)) : undefined;
      let chunks: (string | Buffer)[];
      try {
        chunks = encode(snapshot.families, negotiated, scratch);
      } catch (err) {
        self.countError('encoding');
        self.countRequest(500);
        throw err;
      } finally {
        // The answer is bytes now: the families go back to be written again by later scrapes.
        releaseSnapshot(snapshot);
        own.release();
      }
      self.countRequest(200);
      res.setHeader('Vary', 'Accept-Encoding');
      this.stream(req, res, 200, negotiated.contentType, chunks, gzip, scratch);
    } finally {
      this.inFlight--;
      self.inFlight--;
      this.heapTrimmer.scrapeEnded(this.inFlight);
      v8AfterScrape();
    }
  }

  /**
   * Writes an encoded body as it came from the encoder, chunk by chunk, never joined into one
   * string. Through gzip when the client takes it: a body up to SYNC_GZIP_MAX in one deflate call
   * (with its Content-Length), a larger one through a zlib stream (chunked); otherwise as it is,
   * with its Content-Length. Chunks in `scratch` are deflated before this returns, or copied.
   */
  private stream(req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, chunks: readonly (string | Buffer)[], gzip: boolean, scratch?: Buffer): void {
    if (res.headersSent || res.destroyed) return;
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // An unread body would otherwise be drained from the socket to keep the connection alive.
    if (this.closing || hasBody(req)) res.setHeader('Connection', 'close');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    let size = 0;
    for (const c of chunks) size += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
    if (!gzip) res.setHeader('Content-Length', size);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (!gzip) {
      // Never in the scratch space: it is only given for a gzipped answer.
      for (const c of chunks) res.write(c);
      res.end();
      return;
    }
    if (size <= SYNC_GZIP_MAX) {
      // One deflate call here costs less than a zlib stream's trips to the threadpool.
      const first = chunks[0];
      const whole = chunks.length === 1 && first !== undefined ? first : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
      const body = gzipWhole(whole);
      res.setHeader('Content-Length', body.length);
      res.end(body);
      return;
    }
    const z = zlib.createGzip({ level: GZIP_LEVEL });
    z.on('error', (err) => {
      this.opts.logger.error('error compressing the response', { err });
      res.destroy(err);
    });
    z.pipe(res);
    for (const c of ownChunks(chunks, scratch)) z.write(c);
    z.end();
  }

  private send(req: http.IncomingMessage, res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
    this.stream(req, res, status, type, [body], false);
  }
}
