import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Go's filepath.Glob, which node_exporter applies to each --collector.textfile.directory:
 * `*`, `?`, `[...]` classes (with `^` negation, ranges and `\` escapes) and `\` escapes, matched
 * per path component, results in lexical order within each directory. (Node 20 has no
 * fs.glob, and its semantics differ anyway.)
 */

const META = /[*?[\\]/;

/** One pattern component as an anchored RegExp, or undefined when Go calls it ErrBadPattern. */
export function compileGlobComponent(pattern: string): RegExp | undefined {
  // By code point, so a class range may span any Unicode characters.
  const chars = Array.from(pattern);
  let re = '';
  // Escapes valid under the 'u' flag: syntax characters outside a class, and these in one.
  const esc = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  const escClass = (c: string) => c.replace(/[\\\][^-]/g, '\\$&');
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] ?? '';
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      const next = chars[++i];
      if (next === undefined) return undefined;
      re += esc(next);
    } else if (c === '[') {
      let cls = '';
      i++;
      if (chars[i] === '^') {
        cls += '^';
        i++;
      }
      let ranges = 0;
      for (;;) {
        const ch = chars[i];
        if (ch === ']' && ranges > 0) break;
        // A class char: "\x" escapes, and a bare "-" or "]" where one is expected is malformed.
        const classChar = (): string | undefined => {
          let ch = chars[i];
          if (ch === undefined || ch === '-' || ch === ']') return undefined;
          if (ch === '\\') ch = chars[++i];
          if (ch === undefined) return undefined;
          i++;
          return ch;
        };
        const lo = classChar();
        if (lo === undefined) return undefined;
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          const h = classChar();
          if (h === undefined) return undefined;
          hi = h;
        }
        // Go accepts a reversed range and it matches nothing; a JS class would reject it.
        if (lo === hi) cls += escClass(lo);
        else if ((lo.codePointAt(0) ?? 0) < (hi.codePointAt(0) ?? 0)) cls += `${escClass(lo)}-${escClass(hi)}`;
        ranges++;
      }
      re += `[${cls}]`;
    } else re += esc(c);
  }
  try {
    return new RegExp(`^${re}$`, 'su');
  } catch {
    return undefined;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Entries of `dir` matching one pattern component, joined to `dir`; I/O errors match nothing. */
async function matchIn(dir: string, component: RegExp): Promise<string[]> {
  if (!(await isDirectory(dir))) return [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  names.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return names.filter((n) => component.test(n)).map((n) => path.join(dir, n));
}

/**
 * The paths matching `pattern`, or undefined for a malformed pattern. A pattern without glob
 * characters matches itself if it exists.
 */
export async function glob(pattern: string): Promise<string[] | undefined> {
  const slash = pattern.lastIndexOf('/');
  const dirPart = pattern.slice(0, slash + 1);
  const filePart = pattern.slice(slash + 1);
  // Go checks the whole pattern first, so a malformed one is an error even when nothing exists.
  for (const component of pattern.split('/')) if (compileGlobComponent(component) === undefined) return undefined;
  if (!META.test(pattern)) {
    try {
      await lstat(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const component = compileGlobComponent(filePart);
  if (component === undefined) return undefined;
  const dir = dirPart === '' ? '.' : dirPart === '/' ? '/' : dirPart.slice(0, -1);
  if (!META.test(dir)) return matchIn(dir, component);
  if (dir === pattern) return undefined;
  const dirs = await glob(dir);
  if (dirs === undefined) return undefined;
  const out: string[] = [];
  for (const d of dirs) out.push(...(await matchIn(d, component)));
  return out;
}
