/** SELinux modes as libselinux numbers them (node_selinux_*_mode values). */
export const SELINUX_ENFORCING = 1;
export const SELINUX_PERMISSIVE = 0;
export const SELINUX_DISABLED = -1;

/**
 * A key's value in /etc/selinux/config ("SELINUX=enforcing"), as libselinux reads it: lines
 * trimmed, blank lines and lines starting with "#" or ";" skipped, the first line whose text
 * before "=" is exactly the key wins, double quotes around the value dropped. Undefined when
 * the key is absent.
 */
export function selinuxConfigValue(text: string, key: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq >= 0 && line.slice(0, eq) === key) return line.slice(eq + 1).replace(/^"+|"+$/g, '');
  }
  return undefined;
}

/** The mode SELinux is configured to boot in: enforcing 1, permissive 0, anything else -1. */
export function selinuxConfigMode(text: string): number {
  switch (selinuxConfigValue(text, 'SELINUX')) {
    case 'enforcing':
      return SELINUX_ENFORCING;
    case 'permissive':
      return SELINUX_PERMISSIVE;
    default:
      return SELINUX_DISABLED;
  }
}
