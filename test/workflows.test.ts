/**
 * The GitHub workflows are checked here, offline, by action-validator (the JSON schema of
 * workflow files plus its own checks, e.g. `needs` naming a job that exists), so a broken
 * workflow fails `npm test` before it reaches GitHub.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './helpers/repo.js';

const workflowsDir = path.join(repoRoot, '.github', 'workflows');
const validatorCli = createRequire(import.meta.url).resolve('@action-validator/cli/cli.mjs');

function validate(file: string): { ok: boolean; output: string } {
  const r = spawnSync(process.execPath, [validatorCli, file], { encoding: 'utf8', timeout: 60_000 });
  if (r.error !== undefined) throw r.error;
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const workflows = readdirSync(workflowsDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

test('there are workflows to check', () => {
  assert.ok(workflows.length > 0, `no .yml files in ${workflowsDir}`);
});

for (const name of workflows) {
  test(`workflow ${name} passes action-validator`, () => {
    const { ok, output } = validate(path.join(workflowsDir, name));
    assert.ok(ok, `action-validator rejects .github/workflows/${name}:\n${output}`);
  });

  test(`workflow ${name} pins every action to a version`, () => {
    const lines = readFileSync(path.join(workflowsDir, name), 'utf8').split('\n');
    const unpinned = lines
      .map((line, i) => ({ line, n: i + 1 }))
      .filter(({ line }) => /^\s*(-\s+)?uses:/.test(line))
      .filter(({ line }) => !/uses:\s*["']?[\w.-]+\/[\w./-]+@(v\d[\w.]*|[0-9a-f]{40})["']?\s*(#.*)?$/.test(line));
    assert.deepEqual(unpinned, [], 'actions must be pinned to a release tag (vN) or a commit');
  });
}

// The check above is only worth something if the validator rejects what GitHub would reject.
test('action-validator rejects broken workflows', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nts-workflow-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const cases: { name: string; text: string }[] = [
    { name: 'misspelt key', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz:\n      - run: echo ok\n' },
    { name: 'needs an unknown job', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: nope\n    steps:\n      - run: echo ok\n' },
    { name: 'step with uses and run', text: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n        run: echo ok\n' },
    { name: 'not YAML', text: 'on: push\njobs: [\n' },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const file = path.join(dir, `${c.name.replace(/\W+/g, '-')}.yml`);
      writeFileSync(file, c.text);
      assert.equal(validate(file).ok, false, `accepted:\n${c.text}`);
    });
  }
  await t.test('a minimal valid one is accepted', () => {
    const file = path.join(dir, 'valid.yml');
    writeFileSync(file, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo ok\n');
    const { ok, output } = validate(file);
    assert.ok(ok, output);
  });
});
