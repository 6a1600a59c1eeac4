import { newDesc, type CollectorDefinition } from '../collector.js';
import { selinuxConfigMode } from '../etc/selinux-config.js';
import { ifMissing, readProcFile } from '../read/files.js';
import { parseSecurityContext, parseSelinuxEnforce } from '../sysfs/selinux.js';

const enabledDesc = newDesc('node_selinux_enabled', 'Whether SELinux is enabled: 1 or 0.', 'gauge');
const configModeDesc = newDesc('node_selinux_config_mode', 'SELinux mode configured for boot: 1 enforcing, 0 permissive, -1 disabled.', 'gauge');
const currentModeDesc = newDesc('node_selinux_current_mode', 'SELinux mode now: 1 enforcing, 0 permissive, -1 disabled.', 'gauge');

/**
 * node_exporter asks libselinux, which looks at this process's own /sys/fs/selinux,
 * /proc/thread-self and /etc/selinux/config whatever --path.* says. We read the same files
 * through the configured roots, so in a container the host's state is reported. SELinux counts
 * as enabled when selinuxfs is there (its `enforce` file exists) and a policy is loaded (our
 * context is not "kernel"), as libselinux decides; libselinux also insists on a writable
 * selinuxfs, which a read-only host /sys in a container never is, so we don't.
 */
export const selinux: CollectorDefinition = {
  name: 'selinux',
  defaultEnabled: true,
  create({ paths }) {
    const enforceFile = paths.sysFilePath('fs/selinux/enforce');
    const contextFile = paths.procFilePath('self/attr/current');
    const configFile = paths.rootfsFilePath('etc/selinux/config');
    return {
      async collect(_ctx, out) {
        const [enforce, context] = await Promise.all([
          readProcFile(enforceFile).catch(ifMissing(undefined)),
          // No LSM attribute (or another LSM's refusal) is not "kernel": libselinux ignores the error.
          readProcFile(contextFile).then(parseSecurityContext, () => ''),
        ]);
        if (enforce === undefined || context === 'kernel') {
          out.add(enabledDesc, 0);
          return;
        }
        // An absent or unreadable config is "disabled" (-1), as libselinux reads it.
        const config = await readProcFile(configFile).catch(() => '');
        out.add(enabledDesc, 1);
        out.add(configModeDesc, selinuxConfigMode(config));
        out.add(currentModeDesc, parseSelinuxEnforce(enforce));
      },
    };
  },
};
