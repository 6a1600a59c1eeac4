import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/repo.js';

test('zoneAbbreviation follows the zone across DST changes (the cached name is per UTC offset)', (t) => {
  // A child with a zone of its own: the zone is read once per process.
  const script = `
    import { zoneAbbreviation } from ${JSON.stringify(path.join(repoRoot, 'dist', 'src', 'collectors', 'time.js'))};
    const winter = new Date('2026-01-15T12:00:00Z');
    const summer = new Date('2026-07-15T12:00:00Z');
    const names = [];
    for (const d of [winter, winter, summer, summer, winter]) names.push(await zoneAbbreviation(d));
    console.log(names.join(' '));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, TZ: 'Europe/Berlin' } });
  assert.equal(r.status, 0, r.stderr);
  if (r.stdout.trim() === 'UTC UTC UTC UTC UTC') return t.skip('no Europe/Berlin zone data on this machine');
  assert.equal(r.stdout.trim(), 'CET CET CEST CEST CET');
});
