import { SELINUX_DISABLED } from '../etc/selinux-config.js';

/**
 * selinuxfs' `enforce` file: "1" enforcing, "0" permissive (the kernel writes no newline;
 * surrounding white space is tolerated). Anything unreadable as an integer is -1, "disabled",
 * as libselinux reports it.
 */
export function parseSelinuxEnforce(text: string): number {
  const value = text.trim();
  return /^[+-]?\d+$/.test(value) ? Number(value) : SELINUX_DISABLED;
}

/**
 * The security context in /proc/<pid>/attr/current, without the trailing NUL the kernel may
 * add. "kernel" means no policy is loaded: selinuxfs is mounted but SELinux is not enabled.
 */
export function parseSecurityContext(text: string): string {
  return text.endsWith('\0') ? text.slice(0, -1) : text;
}
