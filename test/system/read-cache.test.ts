import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/repo.js';

/**
 * The addon keeps sysfs files open between reads (native/readcache.h). A path can come to name
 * another object while the old one lives on: an interface renamed, and a new one created under
 * the old name. Reads must follow the path, never the descriptor. Run in a network namespace of
 * the test's own, with its own sysfs mounted (in a private mount namespace) so /sys/class/net
 * lists that namespace's interfaces.
 */
function blocker(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network and mount namespaces)';
  for (const cmd of ['ip', 'unshare']) {
    if (spawnSync(cmd, ['--version']).error !== undefined) return `needs ${cmd}`;
  }
  return undefined;
}

const SCRIPT = `
import { execFileSync } from 'node:child_process';
import { readTexts, nativeReadCache } from ${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'native.js'))};
const ip = (...args) => execFileSync('ip', args);
// dummy needs its module; a bridge is built in wherever network namespaces are.
let kind = 'dummy';
try { ip('link', 'add', 'probe0', 'type', kind); ip('link', 'del', 'probe0'); } catch { kind = 'bridge'; }
const index = async (name) => {
  const [v] = await readTexts(['/sys/class/net/' + name + '/ifindex', '/sys/class/net/' + name + '/mtu'], 4096);
  return typeof v === 'string' ? Number(v) : v.code;
};
const out = {};
ip('link', 'add', 'nts0', 'type', kind);
out.first = await index('nts0');
out.keptAfterFirst = nativeReadCache().files;
out.again = await index('nts0');
ip('link', 'set', 'nts0', 'name', 'nts1');
out.renamedOldName = await index('nts0');
ip('link', 'add', 'nts0', 'type', kind);
out.newUnderOldName = await index('nts0');
out.renamedNewName = await index('nts1');
ip('link', 'set', 'nts1', 'mtu', '1400');
out.mtu = (await readTexts(['/sys/class/net/nts1/mtu'], 4096))[0];
ip('link', 'del', 'nts0');
out.deleted = await index('nts0');
ip('link', 'add', 'nts0', 'type', kind);
out.recreated = await index('nts0');
out.kept = nativeReadCache();
console.log(JSON.stringify(out));
`;

test('kept sysfs descriptors follow the path: renamed, replaced and deleted interfaces (dummy or bridge)', (t) => {
  const why = blocker();
  if (why !== undefined) return t.skip(why);
  const r = spawnSync(
    'unshare',
    ['--net', '--mount', '--propagation', 'private', 'sh', '-c', `mount -t sysfs sysfs /sys && exec "$0" --input-type=module -e "$1"`, process.execPath, SCRIPT],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(r.status, 0, `${r.stderr}${r.error?.message ?? ''}`);
  const out = JSON.parse(r.stdout) as Record<string, unknown> & { kept: { files: number; dirs: number } };
  assert.equal(typeof out.first, 'number');
  assert.ok((out.keptAfterFirst as number) >= 2, 'ifindex and mtu are kept open');
  assert.equal(out.again, out.first);
  assert.equal(out.renamedOldName, 'ENOENT', 'the old name is gone once renamed');
  assert.equal(typeof out.newUnderOldName, 'number');
  assert.notEqual(out.newUnderOldName, out.first, 'the new interface under the old name, not the renamed one');
  assert.equal(out.renamedNewName, out.first);
  assert.equal(out.mtu, '1400\n', 'a kept attribute shows the current value');
  assert.equal(out.deleted, 'ENOENT');
  assert.equal(typeof out.recreated, 'number');
  assert.notEqual(out.recreated, out.newUnderOldName);
  assert.ok(out.kept.files >= 2 && out.kept.files <= 6, `descriptors of gone objects are not kept (${JSON.stringify(out.kept)})`);
});
