/**
 * Whether `err` carries one of these errno names — Node's fs errors and the addon's
 * SyscallError alike ("ENOENT", "EACCES", ...). Anything else (a ParseError, a string) has none.
 */
export function hasErrno(err: unknown, ...codes: string[]): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && codes.includes(code);
}

/** Whether `err` carries one of a set of errno names (hasErrno for a set kept in a constant). */
export function errnoIn(err: unknown, codes: ReadonlySet<string>): boolean {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && codes.has(code);
}
