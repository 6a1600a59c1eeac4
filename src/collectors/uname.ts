import { newDesc, type CollectorDefinition } from '../collector.js';
import { uname as nativeUname } from '../native.js';

const infoDesc = newDesc('node_uname_info', 'Constant 1, labelled with what uname(2) reports.', 'gauge', ['domainname', 'machine', 'nodename', 'release', 'sysname', 'version']);

/**
 * uname(2) through the addon, as node_exporter calls it: the kernel of the exporter's own UTS
 * namespace (the host's with --uts=host or hostNetwork; otherwise the container's hostname).
 */
export const uname: CollectorDefinition = {
  name: 'uname',
  defaultEnabled: true,
  create() {
    return {
      async collect(_ctx, out) {
        const u = await nativeUname();
        out.addv(infoDesc, 1, [u.domainname, u.machine, u.nodename, u.release, u.sysname, u.version]);
      },
    };
  },
};
