import fc from 'fast-check';

/**
 * Inputs for the parser fuzzer, as bytes (the read layer hands parsers a file's bytes, decoded as
 * UTF-8 for the text parsers): arbitrary bytes and strings, token soups built from the seeds'
 * own words, and the seeds (our fixtures) damaged the ways real files get damaged.
 */

/** Numbers a kernel or a broken writer might print where a field is expected. */
export const EXTREME_NUMBERS = [
  '0',
  '-0',
  '-1',
  '+1',
  '1.5',
  '.5',
  '5.',
  '-',
  '+',
  '.',
  '0x1f',
  '0X',
  '010',
  '1e308',
  '1e309',
  '-1e309',
  '1e-400',
  'NaN',
  'Inf',
  '+Inf',
  '-Inf',
  '2147483647',
  '2147483648',
  '-2147483649',
  '4294967295',
  '4294967296',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '18446744073709551615',
  '18446744073709551616',
  '340282366920938463463374607431768211456',
  '9'.repeat(400),
  '٣',
  '１',
];

/** Byte sequences that are not what a parser expects: NUL, invalid and truncated UTF-8, separators. */
const ODD_BYTES: readonly number[][] = [
  [0x00],
  [0xff],
  [0xfe, 0xff],
  [0xc3],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xc0, 0x80],
  [0x0a],
  [0x0d],
  [0x0a, 0x0a],
  [0x09],
  [0x20],
  [0x3a],
  [0x3d],
  [0x2c],
  [0x22],
  [0x5c],
  [0x7b],
  [0x7d],
  [0x23],
];

type Op =
  | { k: 'dropLine' | 'dupLine' | 'truncate' | 'repeat'; i: number }
  | { k: 'swapLines'; i: number; j: number }
  | { k: 'swapFields'; i: number; a: number; b: number }
  | { k: 'dropField'; i: number; a: number }
  | { k: 'number'; i: number; v: string }
  | { k: 'insert'; i: number; bytes: Uint8Array }
  | { k: 'set'; i: number; b: number }
  | { k: 'deleteRange' | 'dupRange'; i: number; n: number }
  | { k: 'word'; i: number; v: number; width: 1 | 2 | 4 };

const nat = fc.nat({ max: 1 << 20 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constantFrom('dropLine', 'dupLine', 'truncate', 'repeat') as fc.Arbitrary<'dropLine'>, i: nat }),
  fc.record({ k: fc.constant('swapLines' as const), i: nat, j: nat }),
  fc.record({ k: fc.constant('swapFields' as const), i: nat, a: fc.nat(12), b: fc.nat(12) }),
  fc.record({ k: fc.constant('dropField' as const), i: nat, a: fc.nat(12) }),
  fc.record({ k: fc.constant('number' as const), i: nat, v: fc.constantFrom(...EXTREME_NUMBERS) }),
  fc.record({
    k: fc.constant('insert' as const),
    i: nat,
    bytes: fc.oneof(fc.constantFrom(...ODD_BYTES.map((b) => Uint8Array.from(b))), fc.uint8Array({ minLength: 1, maxLength: 16 })),
  }),
  fc.record({ k: fc.constant('set' as const), i: nat, b: fc.nat(255) }),
  fc.record({ k: fc.constantFrom('deleteRange', 'dupRange') as fc.Arbitrary<'deleteRange'>, i: nat, n: fc.nat(64) }),
  fc.record({
    k: fc.constant('word' as const),
    i: nat,
    v: fc.constantFrom(0, 1, 3, 4, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff),
    width: fc.constantFrom(1, 2, 4) as fc.Arbitrary<1 | 2 | 4>,
  }),
);

function lines(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, start)) {
    out.push(b.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < b.length) out.push(b.subarray(start));
  return out;
}

/** A line's fields: runs of non-blank bytes, with the blanks between them kept as their own pieces. */
function fields(line: Buffer): Buffer[] {
  const out: Buffer[] = [];
  const s = line.toString('latin1');
  for (const m of s.matchAll(/[ \t]+|[^ \t]+/g)) out.push(Buffer.from(m[0], 'latin1'));
  return out;
}

/** Applies one damage to b. Indexes are taken modulo the sizes, so every op applies to every input. */
export function apply(b: Buffer, op: Op): Buffer {
  const len = b.length;
  switch (op.k) {
    case 'truncate':
      return b.subarray(0, len === 0 ? 0 : op.i % len);
    case 'repeat':
      return Buffer.concat([b, b]);
    case 'insert': {
      const at = op.i % (len + 1);
      return Buffer.concat([b.subarray(0, at), op.bytes, b.subarray(at)]);
    }
    case 'set': {
      if (len === 0) return b;
      const c = Buffer.from(b);
      c[op.i % len] = op.b;
      return c;
    }
    case 'word': {
      if (len < op.width) return b;
      const c = Buffer.from(b);
      const at = op.i % (len - op.width + 1);
      if (op.width === 1) c.writeUInt8(op.v & 0xff, at);
      else if (op.width === 2) c.writeUInt16LE(op.v & 0xffff, at);
      else c.writeUInt32LE(op.v >>> 0, at);
      return c;
    }
    case 'deleteRange':
    case 'dupRange': {
      if (len === 0) return b;
      const at = op.i % len;
      const end = Math.min(len, at + op.n + 1);
      return op.k === 'deleteRange' ? Buffer.concat([b.subarray(0, at), b.subarray(end)]) : Buffer.concat([b.subarray(0, end), b.subarray(at, end), b.subarray(end)]);
    }
    default:
      break;
  }
  const ls = lines(b);
  if (ls.length === 0) return b;
  const i = op.i % ls.length;
  switch (op.k) {
    case 'dropLine':
      ls.splice(i, 1);
      break;
    case 'dupLine':
      ls.splice(i, 0, ls[i] as Buffer);
      break;
    case 'swapLines': {
      const j = op.j % ls.length;
      [ls[i], ls[j]] = [ls[j] as Buffer, ls[i] as Buffer];
      break;
    }
    case 'swapFields':
    case 'dropField': {
      const fs = fields(ls[i] as Buffer);
      const words = fs.map((f, n) => [f, n] as const).filter(([f]) => f[0] !== 0x20 && f[0] !== 0x09);
      if (words.length === 0) break;
      const a = (words[op.a % words.length] as readonly [Buffer, number])[1];
      if (op.k === 'dropField') fs.splice(a, 1);
      else {
        const bIdx = (words[op.b % words.length] as readonly [Buffer, number])[1];
        [fs[a], fs[bIdx]] = [fs[bIdx] as Buffer, fs[a] as Buffer];
      }
      ls[i] = Buffer.concat(fs);
      break;
    }
    case 'number': {
      // The op.i-th run of digits anywhere in the input becomes an extreme value.
      const s = b.toString('latin1');
      const runs = [...s.matchAll(/\d+/g)];
      if (runs.length === 0) return b;
      const m = runs[op.i % runs.length] as RegExpMatchArray;
      const at = m.index ?? 0;
      return Buffer.concat([b.subarray(0, at), Buffer.from(op.v), b.subarray(at + m[0].length)]);
    }
  }
  return Buffer.concat(ls);
}

/** A seed damaged by one to six ops. */
export function mutated(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  return fc.tuple(fc.constantFrom(...seeds), fc.array(opArb, { minLength: 1, maxLength: 6 })).map(([s, ops]) => ops.reduce(apply, s));
}

/** The words and separators of the seeds, recombined at random. */
function tokenSoup(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  const tokens = new Set<string>();
  for (const s of seeds) for (const m of s.toString('utf8').matchAll(/[A-Za-z_][\w.()-]*|\d+|\S/g)) if (tokens.size < 2000) tokens.add(m[0]);
  const pieces = [...tokens, ...EXTREME_NUMBERS, ' ', ' ', '\t', '\n', '\n', ':', '=', '"', ''];
  return fc.array(fc.constantFrom(...pieces), { maxLength: 200 }).map((a) => Buffer.from(a.join('')));
}

/** Every kind of input for one parser, mostly damaged seeds. */
export function fuzzBytes(seeds: readonly Buffer[]): fc.Arbitrary<Buffer> {
  const random = fc.oneof(
    fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
    fc.string({ unit: 'binary', maxLength: 512 }).map((s) => Buffer.from(s)),
  );
  if (seeds.length === 0) return random;
  return fc.oneof({ weight: 1, arbitrary: random }, { weight: 1, arbitrary: tokenSoup(seeds) }, { weight: 6, arbitrary: mutated(seeds) });
}

/** Damage to a list of datagrams: each one damaged or not, some dropped, duplicated or swapped. */
export function fuzzDatagrams(seeds: readonly (readonly Buffer[])[]): fc.Arbitrary<Buffer[]> {
  const flat = seeds.flat();
  const one = fc.oneof({ weight: 3, arbitrary: mutated(flat) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)) });
  return fc.oneof(
    { weight: 1, arbitrary: fc.array(one, { maxLength: 4 }) },
    {
      weight: 4,
      arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.nat(3), one), { minLength: 1, maxLength: 4 })).map(([seed, edits]) => {
        const d = [...seed];
        for (const [i, kind, damaged] of edits) {
          const at = d.length === 0 ? 0 : i % d.length;
          if (kind === 0) d[at] = damaged;
          else if (kind === 1) d.splice(at, 1);
          else if (kind === 2 && d[at] !== undefined) d.splice(at, 0, d[at]);
          else d.push(damaged);
        }
        return d;
      }),
    },
  );
}

/** A set of files (name → bytes): each kept, damaged, or missing. */
export function fuzzFiles(seeds: readonly ReadonlyMap<string, Buffer>[]): fc.Arbitrary<Map<string, Buffer>> {
  return fc.constantFrom(...seeds).chain((seed) =>
    fc
      .tuple(
        ...[...seed].map(([, v]) =>
          fc.oneof(
            { weight: 3, arbitrary: fc.constant<Buffer | undefined>(v) },
            { weight: 3, arbitrary: fuzzBytes([v]) as fc.Arbitrary<Buffer | undefined> },
            { weight: 1, arbitrary: fc.constant<Buffer | undefined>(undefined) },
          ),
        ),
      )
      .map((values) => {
        const m = new Map<string, Buffer>();
        [...seed.keys()].forEach((k, i) => {
          const v = values[i];
          if (v !== undefined) m.set(k, v);
        });
        return m;
      }),
  );
}
