import { ParseError } from '../procfs/parse-error.js';

/**
 * Reading JSON the way Go's encoding/json fills a struct, for upstream's test-only fixture
 * files (--collector.qdisc.fixtures, --collector.wifi.fixtures): keys match field names
 * case-insensitively, unknown keys are ignored, a missing key or null leaves the zero value,
 * and a value of the wrong type is an error.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ParseError(`invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function asObject(v: unknown, what: string): JsonObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ParseError(`${what}: want a JSON object, got ${describe(v)}`);
  return v as JsonObject;
}

/** A JSON array; null reads as empty, as Go leaves a nil slice. */
export function asArray(v: unknown, what: string): readonly unknown[] {
  if (v === null) return [];
  if (!Array.isArray(v)) throw new ParseError(`${what}: want a JSON array, got ${describe(v)}`);
  return v;
}

/** The value of `name` in `obj`, matched as Go does (case-insensitively; the last match wins). */
export function goField(obj: JsonObject, name: string): unknown {
  const want = name.toLowerCase();
  let found: unknown;
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === want) found = v;
  return found;
}

/** An integer field (Go int/uint/Duration); `unsigned` rejects negatives as Go's uint types do. */
export function goInt(obj: JsonObject, name: string, unsigned: boolean): number {
  const v = goField(obj, name);
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || (unsigned && v < 0)) {
    throw new ParseError(`field ${name}: want ${unsigned ? 'an unsigned' : 'an'} integer, got ${describe(v)}`);
  }
  return v;
}

export function goString(obj: JsonObject, name: string): string {
  const v = goField(obj, name);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ParseError(`field ${name}: want a string, got ${describe(v)}`);
  return v;
}

/** A []byte field, which Go writes as standard base64. */
export function goBytes(obj: JsonObject, name: string): Buffer {
  const v = goField(obj, name);
  if (v === undefined || v === null) return Buffer.alloc(0);
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
    throw new ParseError(`field ${name}: want base64 bytes, got ${describe(v)}`);
  }
  return Buffer.from(v, 'base64');
}

/** A hardware address as Go's net.HardwareAddr prints it: lower-case hex pairs joined by ':'. */
export function formatHardwareAddr(addr: Uint8Array): string {
  return [...addr].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `${typeof v} ${JSON.stringify(v)?.slice(0, 40) ?? ''}`;
}
