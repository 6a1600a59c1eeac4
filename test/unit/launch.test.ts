import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cliLaunch, cliPath } from '../helpers/exporter.js';
import { repoRoot } from '../helpers/repo.js';

// The CLI's shebang, `npm start` and the image's entrypoint run the exporter the same way: the
// memory figures in the README are measured with these settings, and a change to one that
// missed the others would ship an exporter unlike the one measured.

test('launch: the shebang sets one malloc arena, the heap flags, one V8 worker thread and no Maglev', () => {
  assert.deepEqual(cliLaunch.env, { MALLOC_ARENA_MAX: '1' });
  assert.deepEqual(cliLaunch.nodeFlags, ['--max-semi-space-size=2', '--heap-growing-percent=30', '--v8-pool-size=1', '--no-maglev']);
});

test('launch: npm start runs the CLI as its shebang does', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const env = Object.entries(cliLaunch.env).map(([k, v]) => `${k}=${v} `);
  assert.equal(pkg.scripts.start, `${env.join('')}node ${cliLaunch.nodeFlags.join(' ')} dist/bin/node-exporter.js`);
});

test("launch: the image's entrypoint and environment run the CLI as its shebang does", () => {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  assert.ok(entrypoint !== undefined, 'an ENTRYPOINT in exec form');
  assert.deepEqual(JSON.parse(entrypoint), ['/usr/local/bin/node', ...cliLaunch.nodeFlags, '/app/dist/bin/node-exporter.js']);
  // The final stage's ENV (the last ENV instruction, with its continuation lines).
  const envs = [...dockerfile.matchAll(/^ENV ((?:.*\\\n)*.*)$/gm)].map((m) => m[1] ?? '');
  const last = (envs[envs.length - 1] ?? '').replace(/\\\n/g, ' ');
  for (const [k, v] of Object.entries(cliLaunch.env)) assert.match(last, new RegExp(`(^|\\s)${k}=${v}(\\s|$)`), `${k}=${v} in ${last}`);
});

test('launch: the CLI ships as one bundle that imports only Node built-ins and the package dependencies', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string>; dependencies: Record<string, string> };
  assert.equal(path.join(repoRoot, pkg.bin['node-exporter'] ?? ''), cliPath, "the package's bin is the bundle the tests run");
  const bundle = readFileSync(cliPath, 'utf8');
  const specifiers = [...bundle.matchAll(/^import .* from "([^"]+)";$|\bimport\("([^"]+)"\)/gm)].map((m) => m[1] ?? m[2] ?? '');
  assert.ok(specifiers.includes('commander'), 'the imports were found');
  const deps = Object.keys(pkg.dependencies);
  const outside = specifiers.filter((s) => !s.startsWith('node:') && !deps.some((d) => s === d || s.startsWith(`${d}/`)));
  assert.deepEqual(outside, [], 'our own modules are inside the bundle, not imported beside it');
});
