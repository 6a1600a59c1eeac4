import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/collector.js';
import { systemdListeners } from '../../src/server/systemd-socket.js';

test('systemd socket activation: LISTEN_FDS fds from 3 on, only for our pid', () => {
  assert.deepEqual(systemdListeners({ LISTEN_PID: '42', LISTEN_FDS: '1' }, 42), [{ fd: 3 }]);
  assert.deepEqual(systemdListeners({ LISTEN_PID: '42', LISTEN_FDS: '3' }, 42), [{ fd: 3 }, { fd: 4 }, { fd: 5 }]);
  const bad: [NodeJS.ProcessEnv, RegExp][] = [
    [{}, /no socket activation file descriptors found/],
    [{ LISTEN_FDS: '1' }, /LISTEN_PID\/LISTEN_FDS unset/],
    [{ LISTEN_PID: '7', LISTEN_FDS: '1' }, /for pid 7, not this process \(42\)/],
    [{ LISTEN_PID: '42', LISTEN_FDS: '0' }, /LISTEN_FDS="0"/],
    [{ LISTEN_PID: '42', LISTEN_FDS: 'two' }, /LISTEN_FDS="two"/],
  ];
  for (const [env, re] of bad)
    assert.throws(
      () => systemdListeners(env, 42),
      (e: unknown) => e instanceof ConfigError && re.test(e.message),
      JSON.stringify(env),
    );
});
