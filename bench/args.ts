/**
 * A bench script's command line: its own options before `--`, what follows `--` passed on (to
 * the exporters), and `opt(name)`, the value after an option of its own.
 */
export function benchArgs(argv: readonly string[] = process.argv.slice(2)): { own: string[]; extra: string[]; opt: (name: string) => string | undefined } {
  const cut = argv.indexOf('--');
  const own = cut >= 0 ? argv.slice(0, cut) : [...argv];
  const extra = cut >= 0 ? argv.slice(cut + 1) : [];
  const opt = (name: string): string | undefined => {
    const i = own.indexOf(name);
    return i >= 0 ? own[i + 1] : undefined;
  };
  return { own, extra, opt };
}
