import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from the compiled test file's location (dist/test/...). */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test file');
    dir = up;
  }
  return dir;
}

export const repoRoot = findRoot();
export const fixturesDir = path.join(repoRoot, 'fixtures');
export const fixturePath = (...parts: string[]): string => path.join(fixturesDir, ...parts);
