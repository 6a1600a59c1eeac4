/**
 * The floor under our exporter's memory: the smallest Node.js HTTP server that answers a scrape.
 *   node [the CLI's node flags] dist/bench/floor-server.js BODY_FILE --web.listen-address=HOST:PORT
 * It sends BODY_FILE's bytes (an answer of ours, captured by compare.ts) for /metrics, gzipped once
 * at start when the scraper accepts gzip, and does nothing else: no collector, no parsing, no
 * encoding per scrape. Started with the CLI's node flags and the V8 settings the CLI sets at
 * start-up, under the same burst as the exporters, what its RSS reaches is what Node.js and its
 * HTTP stack cost on their own; the exporter's own cost is what it holds above it.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { tuneV8 } from '../src/v8-tuning.js';

tuneV8();
const [bodyFile, listen] = [process.argv[2], process.argv.find((a) => a.startsWith('--web.listen-address='))?.split('=')[1]];
if (bodyFile === undefined || listen === undefined) {
  process.stderr.write('usage: floor-server.js BODY_FILE --web.listen-address=HOST:PORT\n');
  process.exit(2);
}
const plain = readFileSync(bodyFile);
const gzipped = gzipSync(plain);
// compare.ts gives 127.0.0.1:PORT. Not src/config.ts's parseListenAddress: importing it loads
// commander, whose heap the floor would then count.
const colon = listen.lastIndexOf(':');
http
  .createServer((req, res) => {
    const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(gzip ? gzipped : plain);
  })
  .listen(Number(listen.slice(colon + 1)), listen.slice(0, colon));
