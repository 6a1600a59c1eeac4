import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Wraps a test body so it gets a fresh temp directory (named `prefix…`), removed afterwards. */
export function tmpDirTest(prefix: string): (fn: (dir: string) => Promise<void>) => () => Promise<void> {
  return (fn) => async () => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
