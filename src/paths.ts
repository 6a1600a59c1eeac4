import path from 'node:path';

/** The filesystem roots the exporter reads the host through (node_exporter's --path.* flags). */
export interface PathRoots {
  procfs: string;
  sysfs: string;
  rootfs: string;
  /** undefined: not given on the command line, so it follows the rootfs. */
  udevData?: string | undefined;
}

export const DEFAULT_ROOTS = {
  procfs: '/proc',
  sysfs: '/sys',
  rootfs: '/',
  udevData: '/run/udev/data',
} as const;

/** Cleans like Go's filepath.Clean: no trailing slash, no "." or ".." steps. */
function clean(p: string): string {
  const n = path.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** A name that path.join would change: a "." or ".." step, "//", a leading or trailing "/". */
const NEEDS_CLEANING = /(?:^|\/)\.{1,2}(?:\/|$)|\/\/|^\/|\/$/;

/** Joins like Go's filepath.Join: cleaned, and no trailing slash ("/host" + "/" is "/host"). */
function join(root: string, name: string): string {
  // Roots are clean already (constructor), and most names are too: then joining is
  // concatenation. A large host asks for ~100k paths a scrape; path.join's normalising
  // allocated ~44 MiB of them.
  if (name !== '' && root !== '.' && !NEEDS_CLEANING.test(name)) return root === '/' ? `/${name}` : `${root}/${name}`;
  const p = path.join(root, name);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

const MAX_KEPT_LISTS = 64;
const MAX_KEPT_DIRS = 4096;

/**
 * The only place that joins configured roots with names. Immutable; a collector receives one at
 * construction, so two exporters with different roots can live in one process.
 */
export class Paths {
  readonly procfs: string;
  readonly sysfs: string;
  readonly rootfs: string;
  readonly udevData: string;

  constructor(roots: Partial<PathRoots> = {}) {
    // Cleaned but kept as given, relative ones too, as Go's filepath.Join does: a few labels
    // carry the path (rapl's `path`), and they must read as node_exporter's for the same flags.
    this.procfs = clean(roots.procfs ?? DEFAULT_ROOTS.procfs);
    this.sysfs = clean(roots.sysfs ?? DEFAULT_ROOTS.sysfs);
    this.rootfs = clean(roots.rootfs ?? DEFAULT_ROOTS.rootfs);
    // node_exporter keeps /run/udev/data even when --path.rootfs points at the host, so in a
    // container it reads the container's own (empty) udev database. We follow the rootfs.
    this.udevData = roots.udevData !== undefined ? clean(roots.udevData) : path.join(this.rootfs, DEFAULT_ROOTS.udevData);
  }

  procFilePath(name: string): string {
    return join(this.procfs, name);
  }

  sysFilePath(name: string): string {
    return join(this.sysfs, name);
  }

  /**
   * The paths of `files` in the sysfs directory `dir` (every attribute of one interface, say),
   * made once and kept: a collector that reads the same files of the same devices every scrape
   * builds no path strings. `files` should be a constant list (kept by identity). Bounded: past
   * MAX_KEPT_DIRS directories for one list (devices that keep changing) the list starts over.
   */
  sysFilePaths(dir: string, files: readonly string[]): readonly string[] {
    let byDir = this.keptFiles.get(files);
    if (byDir === undefined) {
      if (this.keptFiles.size >= MAX_KEPT_LISTS) this.keptFiles.clear();
      byDir = new Map();
      this.keptFiles.set(files, byDir);
    }
    let paths = byDir.get(dir);
    if (paths === undefined) {
      if (byDir.size >= MAX_KEPT_DIRS) byDir.clear();
      // Frozen: the read layer joins a frozen list once and sends the same string every scrape.
      paths = Object.freeze(files.map((file) => this.sysFilePath(`${dir}/${file}`)));
      byDir.set(dir, paths);
    }
    return paths;
  }

  /** sysFilePaths' table: file list → directory → paths (a cache; Paths' answers never change). */
  private readonly keptFiles = new Map<readonly string[], Map<string, readonly string[]>>();

  rootfsFilePath(name: string): string {
    return join(this.rootfs, name);
  }

  udevDataFilePath(name: string): string {
    return join(this.udevData, name);
  }

  /**
   * A host path as the host sees it: the rootfs prefix removed. Only a whole leading path
   * component counts (with rootfs /host, "/hostile" stays as it is, unlike a plain string
   * trim); the rootfs itself becomes "/".
   */
  rootfsStripPrefix(p: string): string {
    if (this.rootfs === '/') return p;
    if (p === this.rootfs) return '/';
    if (p.startsWith(`${this.rootfs}/`)) return p.slice(this.rootfs.length);
    return p;
  }
}
