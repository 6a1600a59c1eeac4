/**
 * Builds runsv `supervise/status` records for tests, and (run directly) writes the binary
 * fixture tree fixtures/runit/: `node dist/test/helpers/runit-status.js` from the repo root.
 * The committed files are what this writes; test/etc/runit-status.test.ts checks they still are.
 */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath } from './repo.js';

export interface StatusFields {
  /** Unix seconds of the last change. */
  changedAt: number;
  nanos?: number;
  pid?: number;
  paused?: boolean;
  /** The wanted-state byte as a character ('u', 'd'). */
  want?: string;
  termSent?: boolean;
  state: number;
}

export function encodeRunitStatus(f: StatusFields): Buffer {
  const b = Buffer.alloc(20);
  b.writeBigUInt64BE(BigInt(f.changedAt) + (1n << 62n) + 10n, 0);
  b.writeUInt32BE(f.nanos ?? 0, 8);
  b.writeUInt32LE(f.pid ?? 0, 12);
  b[16] = f.paused === true ? 1 : 0;
  b[17] = (f.want ?? 'u').charCodeAt(0);
  b[18] = f.termSent === true ? 1 : 0;
  b[19] = f.state;
  return b;
}

export interface FixtureService {
  /** Where it lives under fixtures/runit/ (service/<name> or sv/<name>, symlinked from service/). */
  dir: string;
  status?: Buffer;
  /** Extra files, relative to the service's own directory, with their content. */
  files?: Record<string, string>;
}

/** The fixture services and what each one exercises. */
export const FIXTURE_SERVICES: readonly FixtureService[] = [
  // Running for a while, normally up.
  {
    dir: 'service/sshd',
    status: encodeRunitStatus({ changedAt: 1_732_450_000, nanos: 123_456_789, pid: 812, want: 'u', state: 1 }),
    files: { run: '#!/bin/sh\nexec /usr/sbin/sshd -D\n' },
  },
  // Stopped by `sv down`, with runit's own `down` marker beside `run` (upstream doesn't look there).
  { dir: 'service/cron', status: encodeRunitStatus({ changedAt: 1_732_451_234, want: 'd', state: 0 }), files: { run: '#!/bin/sh\nexec crond -f\n', down: '' } },
  // Its finish script running after a crash, wanted up, with a pid above 2^16; supervise/down present.
  {
    dir: 'service/nginx-worker',
    status: encodeRunitStatus({ changedAt: 1_732_452_000, nanos: 999_999_999, pid: 4_194_300, want: 'u', termSent: true, state: 2 }),
    files: { 'supervise/down': '' },
  },
  // Paused (`sv pause`), reached through a symlink into sv/ as runit installs services.
  { dir: 'sv/getty-tty1', status: encodeRunitStatus({ changedAt: 1_732_440_000, pid: 655, paused: true, want: 'u', state: 1 }) },
  // Status longer than 20 bytes: only the first 20 count.
  { dir: 'service/longstatus', status: Buffer.concat([encodeRunitStatus({ changedAt: 1_700_000_000, pid: 77, want: 'u', state: 1 }), Buffer.from('trailing junk\n')]) },
  // Never supervised: no supervise/ at all (skipped).
  { dir: 'service/not-started', files: { run: '#!/bin/sh\nexec sleep infinity\n' } },
  // An empty status file (skipped).
  { dir: 'service/empty-status', status: Buffer.alloc(0) },
];

/** Writes fixtures/runit/ afresh from FIXTURE_SERVICES. */
export function writeRunitFixtures(root = fixturePath('runit')): void {
  rmSync(root, { recursive: true, force: true });
  for (const s of FIXTURE_SERVICES) {
    const dir = path.join(root, s.dir);
    mkdirSync(dir, { recursive: true });
    if (s.status !== undefined) {
      mkdirSync(path.join(dir, 'supervise'), { recursive: true });
      writeFileSync(path.join(dir, 'supervise', 'status'), s.status);
    }
    for (const [name, content] of Object.entries(s.files ?? {})) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
    if (s.dir.startsWith('sv/')) {
      mkdirSync(path.join(root, 'service'), { recursive: true });
      symlinkSync(path.join('..', s.dir), path.join(root, 'service', path.basename(s.dir)));
    }
  }
  // Not a service: a plain file in the service directory is ignored.
  writeFileSync(path.join(root, 'service', 'README'), 'Services runsvdir supervises.\n');
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeRunitFixtures();
}
