import { newDesc, type CollectorDefinition } from '../collector.js';
import { DbusConnection, systemBusAddress } from '../dbus/client.js';
import { CLASS_VALUES, knownOrOther, parseListSeats, parseListSessions, countSessions, TYPE_VALUES, type SessionAttributes, type SessionEntry } from '../dbus/logind-sessions.js';
import { expectString } from '../dbus/reply.js';

const sessionsDesc = newDesc('node_logind_sessions', 'Sessions logind has, by seat, remoteness, type and class.', 'gauge', ['seat', 'remote', 'type', 'class']);

const DEST = 'org.freedesktop.login1';
const MANAGER = { destination: DEST, path: '/org/freedesktop/login1', interface: `${DEST}.Manager` };

export const logind: CollectorDefinition = {
  name: 'logind',
  defaultEnabled: false,
  create({ logger }) {
    return {
      async collect({ signal }, out) {
        let conn: DbusConnection;
        try {
          conn = await DbusConnection.connect({ address: systemBusAddress(), signal });
        } catch (err) {
          throw new Error(`unable to connect to dbus: ${(err as Error).message}`);
        }
        try {
          const seats = await conn.call({ ...MANAGER, member: 'ListSeats' }).then(
            ([reply]) => parseListSeats(reply),
            (err: Error) => Promise.reject(new Error(`unable to get seats: ${err.message}`)),
          );
          const entries = await conn.call({ ...MANAGER, member: 'ListSessions' }).then(
            ([reply]) => parseListSessions(reply),
            (err: Error) => Promise.reject(new Error(`unable to get sessions: ${err.message}`)),
          );
          const sessions = await Promise.all(entries.map((e) => attributes(conn, e)));
          for (const [i, s] of sessions.entries()) {
            if (s === undefined) logger.debug('skipping a session whose properties could not be read', { session: entries[i]?.id });
          }
          const known = sessions.filter((s): s is SessionAttributes => s !== undefined);
          for (const c of countSessions(seats, known)) out.add(sessionsDesc, c.count, c.seat, c.remote, c.type, c.class);
        } finally {
          conn.close();
        }
      },
    };
  },
};

/** A session's Remote/Type/Class; undefined (the session is skipped) when one can't be read. */
async function attributes(conn: DbusConnection, e: SessionEntry): Promise<SessionAttributes | undefined> {
  const get = (name: string) => conn.getProperty(DEST, e.path, `${DEST}.Session`, name);
  try {
    const [remote, type, cls] = await Promise.all([get('Remote'), get('Type'), get('Class')]);
    return {
      seat: e.seat,
      // Upstream prints the variant: a boolean reads "true"/"false".
      remote: String(remote),
      type: knownOrOther(expectString(type, 'Type'), TYPE_VALUES),
      class: knownOrOther(expectString(cls, 'Class'), CLASS_VALUES),
    };
  } catch {
    return undefined;
  }
}
