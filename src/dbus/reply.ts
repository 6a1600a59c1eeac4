/**
 * Shape checks for D-Bus reply values as the client library hands them over (structs as arrays,
 * integers as numbers, booleans as booleans). A reply of the wrong shape is an error naming the
 * call and the position, never a silent zero.
 */
export class DbusReplyError extends Error {
  override readonly name = 'DbusReplyError';
}

export function expectArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new DbusReplyError(`${what}: expected an array, got ${describe(v)}`);
  return v;
}

export function expectString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new DbusReplyError(`${what}: expected a string, got ${describe(v)}`);
  return v;
}

/** An unsigned D-Bus integer (u or t; a t above 2^53 arrives rounded, as Go's float64() rounds it). */
export function expectUint(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new DbusReplyError(`${what}: expected an unsigned integer, got ${describe(v)}`);
  }
  return v;
}

/** A struct of at least `fields` members (systemd may append members in later versions). */
export function expectStruct(v: unknown, fields: number, what: string): unknown[] {
  const a = expectArray(v, what);
  if (a.length < fields) throw new DbusReplyError(`${what}: expected a struct of ${fields} members, got ${a.length}`);
  return a;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : typeof v;
}
