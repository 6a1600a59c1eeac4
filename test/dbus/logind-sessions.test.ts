import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knownOrOther, parseListSeats, parseListSessions, countSessions, TYPE_VALUES } from '../../src/dbus/logind-sessions.js';
import { DbusReplyError } from '../../src/dbus/reply.js';

test('parseListSeats adds the empty seat', async (t) => {
  const cases: Array<{ name: string; reply: unknown; want?: string[]; error?: RegExp }> = [
    { name: 'no seats', reply: [], want: [''] },
    {
      name: 'valid',
      reply: [
        ['seat0', '/org/freedesktop/login1/seat/seat0'],
        ['seat1', '/p'],
      ],
      want: ['seat0', 'seat1', ''],
    },
    { name: 'not an array', reply: null, error: /ListSeats reply: expected an array, got null/ },
    { name: 'truncated', reply: [['seat0']], error: /seat 0: expected a struct of 2 members, got 1/ },
    { name: 'bad id', reply: [[0, '/p']], error: /seat 0, id: expected a string, got number/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.error !== undefined)
        assert.throws(
          () => parseListSeats(c.reply),
          (e: Error) => e instanceof DbusReplyError && c.error!.test(e.message),
        );
      else assert.deepEqual(parseListSeats(c.reply), c.want);
    });
  }
});

test('parseListSessions', async (t) => {
  const cases: Array<{ name: string; reply: unknown; want?: unknown; error?: RegExp }> = [
    { name: 'empty', reply: [], want: [] },
    {
      name: 'valid',
      reply: [
        ['3', 1000, 'ann', 'seat0', '/s/3'],
        ['c1', 0, 'root', '', '/s/c1'],
      ],
      want: [
        { id: '3', seat: 'seat0', path: '/s/3' },
        { id: 'c1', seat: '', path: '/s/c1' },
      ],
    },
    { name: 'too few members', reply: [['3', 1000, 'ann', 'seat0']], error: /session 0: expected a struct of 5 members, got 4/ },
    { name: 'bad path', reply: [['3', 1000, 'ann', 'seat0', 5]], error: /session 0, object path: expected a string/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      if (c.error !== undefined)
        assert.throws(
          () => parseListSessions(c.reply),
          (e: Error) => e instanceof DbusReplyError && c.error!.test(e.message),
        );
      else assert.deepEqual(parseListSessions(c.reply), c.want);
    });
  }
});

test('countSessions: full cross product, counts where sessions are, unknown seats dropped', () => {
  const got = countSessions(
    ['seat0', ''],
    [
      { seat: 'seat0', remote: 'false', type: 'wayland', class: 'user' },
      { seat: '', remote: 'true', type: 'tty', class: 'user' },
      { seat: '', remote: 'true', type: 'tty', class: 'user' },
      { seat: 'seat9', remote: 'false', type: 'tty', class: 'user' },
    ],
  );
  assert.equal(got.length, 2 * 7 * 5 * 2);
  assert.deepEqual(
    got.filter((s) => s.count !== 0),
    [
      { seat: '', remote: 'true', type: 'tty', class: 'user', count: 2 },
      { seat: 'seat0', remote: 'false', type: 'wayland', class: 'user', count: 1 },
    ],
  );
  assert.equal(knownOrOther('mir', TYPE_VALUES), 'mir');
  assert.equal(knownOrOther('hologram', TYPE_VALUES), 'other');
});
