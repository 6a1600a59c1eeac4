import { expectArray, expectString, expectStruct } from './reply.js';

/** Label values logind's sessions are counted by; a type or class outside these counts as "other". */
export const REMOTE_VALUES = ['true', 'false'] as const;
export const TYPE_VALUES = ['other', 'unspecified', 'tty', 'x11', 'wayland', 'mir', 'web'] as const;
export const CLASS_VALUES = ['other', 'user', 'greeter', 'lock-screen', 'background'] as const;

export interface SessionEntry {
  id: string;
  seat: string;
  /** Where the session's org.freedesktop.login1.Session properties live. */
  path: string;
}

export interface SessionAttributes {
  seat: string;
  remote: string;
  type: string;
  class: string;
}

/** How many sessions share one seat, remoteness, type and class. */
export interface SessionCount extends SessionAttributes {
  count: number;
}

/** ListSeats' a(so) → seat ids, plus the empty seat remote (ssh) sessions have. */
export function parseListSeats(reply: unknown): string[] {
  const seats = expectArray(reply, 'ListSeats reply').map((e, i) => expectString(expectStruct(e, 2, `ListSeats reply, seat ${i}`)[0], `ListSeats reply, seat ${i}, id`));
  return [...seats, ''];
}

/** ListSessions' a(susso): id, uid, user name, seat id, object path. */
export function parseListSessions(reply: unknown): SessionEntry[] {
  return expectArray(reply, 'ListSessions reply').map((e, i) => {
    const what = `ListSessions reply, session ${i}`;
    const s = expectStruct(e, 5, what);
    return { id: expectString(s[0], `${what}, id`), seat: expectString(s[3], `${what}, seat`), path: expectString(s[4], `${what}, object path`) };
  });
}

export function knownOrOther(value: string, known: readonly string[]): string {
  return known.includes(value) ? value : 'other';
}

/**
 * Every combination of remote × type × class × seat, counted (0 where no session has it), as
 * node_logind_sessions reports them. A session on a seat ListSeats did not return is counted
 * nowhere, as upstream.
 */
export function countSessions(seats: readonly string[], sessions: readonly SessionAttributes[]): SessionCount[] {
  const key = (s: SessionAttributes) => JSON.stringify([s.seat, s.remote, s.type, s.class]);
  const counts = new Map<string, number>();
  for (const s of sessions) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  const out: SessionCount[] = [];
  for (const remote of REMOTE_VALUES) {
    for (const type of TYPE_VALUES) {
      for (const cls of CLASS_VALUES) {
        for (const seat of seats) {
          const combination = { seat, remote, type, class: cls };
          out.push({ ...combination, count: counts.get(key(combination)) ?? 0 });
        }
      }
    }
  }
  return out;
}
