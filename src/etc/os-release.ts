import { ParseError } from '../procfs/parse-error.js';

/**
 * os-release(5) is a shell-compatible KEY=value file. node_exporter reads it with
 * hashicorp/go-envparse, so a file it rejects makes its os collector fail; we accept and reject
 * what that parser does, with these deliberate differences:
 *  - inside double quotes we also take \$ and \` (os-release(5) allows them; envparse errors);
 *  - a leading byte-order mark is ignored (envparse rejects the first key).
 * What envparse does that may surprise: a key whose value decodes to nothing is
 * left out, so KEY= and KEY="" are simply absent; a tab or other control character anywhere in
 * a value is an error; an unquoted # starts a comment even in the middle of a word; quoted and
 * unquoted parts join up ("a"'b'c is abc); the last of a repeated key wins.
 */
export function parseOsRelease(text: string): Record<string, string> {
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq === -1) throw new ParseError('missing "="', raw, i + 1);
    let key = line.slice(0, eq).trim();
    if (key.length > 'export '.length && key.startsWith('export ')) key = key.slice('export '.length);
    if (!/^[A-Za-z_][A-Za-z0-9_./]*$/.test(key)) {
      throw new ParseError(`invalid key ${JSON.stringify(key)}`, raw, i + 1);
    }
    const value = decodeValue(line.slice(eq + 1).trim(), raw, i + 1);
    if (value !== '') env[key] = value;
  });
  return env;
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  r: '\r',
  n: '\n',
  t: '\t',
  $: '$',
  '`': '`',
};

function decodeValue(value: string, line: string, lineNumber: number): string {
  const fail = (reason: string): never => {
    throw new ParseError(reason, line, lineNumber);
  };
  const hex4 = (at: number): number => (/^[0-9A-Fa-f]{4}$/.test(value.slice(at, at + 4)) ? parseInt(value.slice(at, at + 4), 16) : fail('incomplete \\u escape'));
  let out = '';
  // Length of `out` up to its last character that is not unquoted whitespace: a trailing
  // comment takes the blanks before it along.
  let significant = 0;
  let mode: 'plain' | 'double' | 'single' = 'plain';
  for (let i = 0; i < value.length; i++) {
    const c = value.charAt(i);
    if (c < ' ') fail(`control character 0x${c.charCodeAt(0).toString(16).padStart(2, '0')} in value`);
    if (mode === 'single') {
      if (c === "'") mode = 'plain';
      else significant = (out += c).length;
    } else if (mode === 'double') {
      if (c === '"') mode = 'plain';
      else if (c !== '\\') significant = (out += c).length;
      else if (i + 1 >= value.length) fail('incomplete escape sequence');
      else if (value.charAt(i + 1) === 'u') {
        let code = hex4(i + 2);
        i += 5;
        if (code >= 0xd800 && code < 0xe000) {
          // A UTF-16 surrogate must come as a pair of \u escapes, as in JSON.
          if (value.slice(i + 1, i + 3) !== '\\u') fail('incomplete surrogate pair');
          const low = hex4(i + 3);
          i += 6;
          const paired = code < 0xdc00 && low >= 0xdc00 && low < 0xe000;
          code = paired ? 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00) : 0xfffd;
        }
        significant = (out += String.fromCodePoint(code)).length;
      } else {
        const decoded = ESCAPES[value.charAt(i + 1)] ?? fail(`invalid escape sequence \\${value.charAt(i + 1)}`);
        i += 1;
        significant = (out += decoded).length;
      }
    } else if (c === '"') mode = 'double';
    else if (c === "'") mode = 'single';
    else if (c === '#') return out.slice(0, significant);
    else if (c === ' ') out += c;
    else significant = (out += c).length;
  }
  if (mode !== 'plain') fail(`unmatched ${mode === 'double' ? '"' : "'"}`);
  return out;
}

/**
 * node_os_version: the leading "major[.minor]" digits of VERSION_ID as a float ("24.04" → 24.04,
 * "2024.1.3" → 2024.1). undefined where node_exporter emits no sample: no leading digits, or 0.
 */
export function osVersion(versionId: string): number | undefined {
  const match = /^[0-9]+\.?[0-9]*/.exec(versionId);
  const version = match === null ? 0 : Number(match[0]);
  return version > 0 ? version : undefined;
}

/** SUPPORT_END (strictly YYYY-MM-DD, a real calendar day) as seconds since the epoch at 00:00 UTC. */
export function supportEndSeconds(s: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const [year, month, day] = match === null ? [] : match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined) {
    throw new ParseError(`SUPPORT_END ${JSON.stringify(s)} is not YYYY-MM-DD`);
  }
  // setUTCFullYear, unlike Date.UTC, does not move years 0-99 into the 1900s.
  const date = new Date(0);
  const ms = date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new ParseError(`SUPPORT_END ${JSON.stringify(s)} is not a calendar date`);
  }
  return ms / 1000;
}
