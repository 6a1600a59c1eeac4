import { readFileSync } from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import type net from 'node:net';
import type tls from 'node:tls';
import { httpsModule, tlsModule } from '../builtins.js';
import { ConfigError } from '../collector.js';
import type { Logger } from '../logger.js';
import { CIPHER_SUITES, CURVES, TLS_VERSIONS, type TlsServerConfig } from './web-config.js';

/** A TLS configuration ready for node:tls, plus the client checks OpenSSL cannot express. */
export interface TlsMaterial {
  options: tls.SecureContextOptions;
  requestCert: boolean;
  rejectUnauthorized: boolean;
  /** The client policy checkPeer applies, as text, to tell two materials apart. */
  policy: string;
  /** After the handshake: why this client must be dropped, or undefined to keep it. */
  checkPeer(socket: tls.TLSSocket): string | undefined;
}

function readPem(file: string, key: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(`failed to read ${key} (${file}): ${(err as Error).message}`);
  }
}

/** Go's view of a certificate's SANs: DNS names, e-mail addresses, IPs and URIs as plain strings. */
export function subjectAltNames(text: string | undefined): string[] {
  const out: string[] = [];
  // Node quotes a value holding ", " or quotes as a JSON string, so split on that grammar.
  const entry = /(DNS|IP Address|email|URI|[^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/gy;
  for (let m = entry.exec(text ?? ''); m !== null && m[0] !== ''; m = entry.exec(text ?? '')) {
    const raw = m[2] ?? '';
    let value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    // Go prints IPv6 compressed; Node prints each group.
    if (m[1] === 'IP Address' && value.includes(':')) value = new URL(`http://[${value}]/`).hostname.slice(1, -1);
    if (m[1] === 'DNS' || m[1] === 'IP Address' || m[1] === 'email' || m[1] === 'URI') out.push(value);
  }
  return out;
}

/** Reads the certificate, key and client CAs now (so a bad file is an error) and builds options. */
export function loadTlsMaterial(c: TlsServerConfig): TlsMaterial {
  const cert = c.certFile !== '' ? readPem(c.certFile, 'cert_file') : Buffer.from(c.cert);
  const key = c.keyFile !== '' ? readPem(c.keyFile, 'key_file') : Buffer.from(c.key);
  const ca = c.clientCaFile !== '' ? readPem(c.clientCaFile, 'client_ca_file') : c.clientCa !== '' ? Buffer.from(c.clientCa) : undefined;
  const ciphers = c.cipherSuites.map((name) => CIPHER_SUITES[name]).filter((s): s is string => s !== undefined);
  const options: tls.SecureContextOptions = {
    cert,
    key,
    ...(ca !== undefined ? { ca } : {}),
    minVersion: TLS_VERSIONS[c.minVersion],
    maxVersion: TLS_VERSIONS[c.maxVersion],
    // Only TLS 1.3 names listed: TLS <= 1.2 keeps its defaults, as Go does with no 1.2 suite listed.
    ...(ciphers.length > 0 ? { ciphers: ciphers.join(':') } : {}),
    ...(c.curvePreferences.length > 0 ? { ecdhCurve: c.curvePreferences.map((n) => CURVES[n]).join(':') } : {}),
    honorCipherOrder: c.preferServerCipherSuites,
  };
  try {
    tlsModule().createSecureContext(options);
  } catch (err) {
    throw new ConfigError(`tls_server_config: failed to load the certificate/key pair or client CA: ${(err as Error).message}`);
  }
  const type = c.clientAuthType;
  const sans = c.clientAllowedSans;
  return {
    options,
    requestCert: type !== 'NoClientCert',
    // OpenSSL verifies for us only in the strict mode; the others are checked in checkPeer.
    rejectUnauthorized: type === 'RequireAndVerifyClientCert',
    policy: JSON.stringify({ type, sans }),
    checkPeer(socket) {
      const peer = socket.getPeerX509Certificate();
      if (peer === undefined) return type === 'RequireAnyClientCert' ? 'client certificate required' : undefined;
      if (type === 'VerifyClientCertIfGiven' && !socket.authorized) return `client certificate not verified: ${String(socket.authorizationError)}`;
      if (sans !== undefined && !subjectAltNames(peer.subjectAltName).some((s) => sans.includes(s))) {
        return `client certificate has none of the allowed SANs (${sans.join(', ')})`;
      }
      return undefined;
    },
  };
}

/** Where the current TLS material comes from; re-reads changed files on each call. */
export interface TlsSource {
  tls(): TlsMaterial | undefined;
}

/**
 * An HTTPS server whose TLS configuration is re-read for every new connection, as
 * exporter-toolkit's GetConfigForClient does: a rotated certificate (or a changed client CA,
 * cipher list, ...) applies to the next connection without a restart.
 */
export function createTlsServer(serverOptions: http.ServerOptions, source: TlsSource, handler: http.RequestListener, logger: Logger): https.Server {
  let material = source.tls();
  if (material === undefined) throw new ConfigError('tls_server_config: TLS is not configured');
  const server = httpsModule().createServer(
    {
      ...serverOptions,
      ...material.options,
      requestCert: material.requestCert,
      rejectUnauthorized: material.rejectUnauthorized,
      // A client that connects and never finishes the handshake is dropped like a slow header.
      handshakeTimeout: serverOptions.headersTimeout ?? 10_000,
    },
    handler,
  );
  // Runs before node:tls wraps the socket, so the context set here is the one this connection uses.
  server.prependListener('connection', (socket: net.Socket) => {
    let next: TlsMaterial | undefined;
    try {
      next = source.tls();
    } catch (err) {
      logger.error('Unable to load the TLS configuration; refusing the connection', { err });
      socket.destroy();
      return;
    }
    if (next === undefined) {
      logger.error('tls_server_config was removed from the web config file; refusing the connection (restart to serve plain HTTP)');
      socket.destroy();
      return;
    }
    if (next !== material) {
      server.setSecureContext(next.options);
      // Read by node:tls for each new connection; setSecureContext does not cover them.
      Object.assign(server, { requestCert: next.requestCert, rejectUnauthorized: next.rejectUnauthorized });
      material = next;
      logger.info('TLS configuration reloaded');
    }
  });
  server.prependListener('secureConnection', (socket: tls.TLSSocket) => {
    const problem = material?.checkPeer(socket);
    if (problem === undefined) return;
    logger.debug('TLS client rejected', { reason: problem, remote: socket.remoteAddress });
    socket.destroy();
  });
  server.on('tlsClientError', (err) => logger.debug('TLS handshake failed', { err }));
  return server;
}
