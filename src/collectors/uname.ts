import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { uname as nativeUname } from '../native.js';

/**
 * uname(2) through the addon, as node_exporter calls it: the kernel of the exporter's own UTS
 * namespace (the host's with --uts=host or hostNetwork; otherwise the container's hostname).
 */
export const uname: CollectorDefinition = {
  name: 'uname',
  defaultEnabled: true,
  create() {
    return {
      async collect(): Promise<MetricFamily[]> {
        const u = await nativeUname();
        return [
          family('node_uname_info', 'Constant 1, labelled with what uname(2) reports.', 'gauge', [
            {
              labels: {
                domainname: u.domainname,
                machine: u.machine,
                nodename: u.nodename,
                release: u.release,
                sysname: u.sysname,
                version: u.version,
              },
              value: 1,
            },
          ]),
        ];
      },
    };
  },
};
