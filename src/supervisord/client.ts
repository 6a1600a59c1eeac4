import type http from 'node:http';
import { httpModule, httpsModule } from '../builtins.js';
import { ConfigError } from '../collector.js';
import { ParseError } from '../procfs/parse-error.js';
import { buildMethodCall, parseMethodResponse, type XmlRpcValue } from './xmlrpc.js';

/** Where an XML-RPC server listens: an http(s) URL, or a unix socket (unix:///path). */
export type XmlRpcEndpoint = { transport: 'unix'; socketPath: string; display: string } | { transport: 'http' | 'https'; url: URL; auth?: string; display: string };

/** Upstream's HTTP client gives up after 10 s; a scrape's own deadline may come sooner. */
export const CALL_TIMEOUT_MS = 10_000;
/** A getAllProcessInfo answer is ~600 bytes a process; this is far beyond any real one. */
export const RESPONSE_LIMIT = 16 * 1024 * 1024;

/**
 * Reads the endpoint flag. As upstream: unix://host/path dials the URL's path (the host part is
 * ignored) and sends the request for /RPC2 with Host "unix"; user:password@ in an http(s) URL
 * becomes Basic authentication, as Go's HTTP client does. Unlike upstream, which fails every
 * scrape, a URL that can never work is refused at start.
 */
export function parseEndpoint(raw: string): XmlRpcEndpoint {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--collector.supervisord.url: not a URL: ${JSON.stringify(raw)}`);
  }
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new ConfigError(`--collector.supervisord.url: bad percent-encoding in ${JSON.stringify(raw)}`);
    }
  };
  if (url.protocol === 'unix:') {
    const socketPath = decode(url.pathname);
    if (!socketPath.startsWith('/')) throw new ConfigError(`--collector.supervisord.url: ${JSON.stringify(raw)} names no absolute socket path (use unix:///path/to/socket)`);
    return { transport: 'unix', socketPath, display: raw };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`--collector.supervisord.url: scheme ${JSON.stringify(url.protocol.slice(0, -1))} is not http, https or unix`);
  }
  const shown = new URL(url);
  if (shown.password !== '') shown.password = 'xxxxx';
  const auth = url.username !== '' || url.password !== '' ? `${decode(url.username)}:${decode(url.password)}` : undefined;
  return { transport: url.protocol === 'https:' ? 'https' : 'http', url, ...(auth === undefined ? {} : { auth }), display: shown.href };
}

function requestOptions(ep: XmlRpcEndpoint, body: Buffer): http.RequestOptions {
  const headers = { 'Content-Type': 'text/xml', 'Content-Length': body.length };
  if (ep.transport === 'unix') {
    return { socketPath: ep.socketPath, path: '/RPC2', method: 'POST', headers: { ...headers, Host: 'unix' }, agent: false };
  }
  const { url, auth } = ep;
  return {
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    ...(url.port === '' ? {} : { port: Number(url.port) }),
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    headers,
    ...(auth === undefined ? {} : { auth }),
    // One connection per scrape: nothing pooled between scrapes, nothing left open after one.
    agent: false,
  };
}

/** POSTs the body and resolves with the response text of a 2xx answer. */
function post(ep: XmlRpcEndpoint, body: Buffer, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const send = ep.transport === 'https' ? httpsModule().request : httpModule.request;
    const req = send({ ...requestOptions(ep, body), signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        res.resume();
        reject(new Error(`HTTP ${status} ${res.statusMessage ?? ''}`.trimEnd()));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > RESPONSE_LIMIT) {
          req.destroy(new Error(`response larger than ${RESPONSE_LIMIT} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface CallOptions {
  /** Fires at the scrape deadline. */
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * Calls `method` and returns its value. Every failure (connection, HTTP status, timeout,
 * malformed XML, an XML-RPC fault) rejects with one Error naming the endpoint and the cause.
 */
export async function callXmlRpc(ep: XmlRpcEndpoint, method: string, params: readonly XmlRpcValue[], o: CallOptions): Promise<XmlRpcValue> {
  const timeout = AbortSignal.timeout(Math.max(0, Math.floor(o.timeoutMs)));
  const signal = AbortSignal.any([o.signal, timeout]);
  const fail = (why: string): Error => new Error(`XML-RPC ${method} at ${ep.display}: ${why}`);
  let text: string;
  try {
    text = await post(ep, Buffer.from(buildMethodCall(method, params)), signal);
  } catch (err) {
    if (o.signal.aborted) throw fail('scrape deadline reached before the server answered');
    if (timeout.aborted) throw fail(`no answer within ${Math.round(o.timeoutMs)} ms`);
    throw fail((err as Error).message);
  }
  let response;
  try {
    response = parseMethodResponse(text);
  } catch (err) {
    if (err instanceof ParseError) throw fail(`malformed response: ${err.message}`);
    throw err;
  }
  if (response.kind === 'fault') throw fail(`fault ${response.code}: ${response.message}`);
  return response.value;
}
