import { family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { formatIP, formatPrefix } from '../netlink/ip.js';
import { dumpRoutes, RTN_UNICAST, type Route } from '../netlink/route-table.js';
import { dumpLinks } from '../netlink/route.js';

/** rtm_protocol names (linux/rtnetlink.h RTPROT_*) as node_exporter spells them. */
const PROTOCOLS = new Map<number, string>([
  [0, 'unspec'], [1, 'redirect'], [2, 'kernel'], [3, 'boot'], [4, 'static'], [8, 'gated'], [9, 'ra'], [10, 'mrt'],
  [11, 'zebra'], [12, 'bird'], [13, 'dnrouted'], [14, 'xorp'], [15, 'ntk'], [16, 'dhcp'], [17, 'mrouted'], [42, 'babel'],
  [186, 'bgp'], [187, 'isis'], [188, 'ospf'], [189, 'rip'], [192, 'eigrp'],
]);

/** Routes and interface names → node_network_route_info and node_network_routes. */
export function routeFamilies(routes: readonly Route[], links: ReadonlyMap<number, string>): MetricFamily[] {
  const info = family('node_network_route_info', 'A route of any table, in labels; always 1.', 'gauge');
  const perDevice = new Map<string, number>();
  const emit = (device: string, labels: Record<string, string>) => {
    info.samples.push({ labels: { device, ...labels }, value: 1 });
    perDevice.set(device, (perDevice.get(device) ?? 0) + 1);
  };
  for (const r of routes) {
    // Unicast only: local, broadcast and multicast entries are no routes to anywhere.
    if (r.type !== RTN_UNICAST) continue;
    const common = {
      src: formatIP(r.prefsrc),
      dest: formatPrefix(r.dst, r.dstLength),
      priority: String(r.priority),
      proto: PROTOCOLS.get(r.protocol) ?? 'unknown',
    };
    if (r.multipath.length > 0) {
      for (const hop of r.multipath) emit(links.get(hop.ifindex) ?? '', { ...common, gw: formatIP(hop.gateway), weight: String(hop.hops + 1) });
    } else {
      emit(links.get(r.oif) ?? '', { ...common, gw: formatIP(r.gateway), weight: '' });
    }
  }
  const routesFamily = family('node_network_routes', 'Routes by output device.', 'gauge',
    [...perDevice].map(([device, value]) => ({ labels: { device }, value })));
  return [info, routesFamily];
}

export const networkRoute: CollectorDefinition = {
  name: 'network_route',
  defaultEnabled: false,
  create() {
    return {
      async collect(): Promise<MetricFamily[]> {
        const [links, routes] = await Promise.all([dumpLinks(), dumpRoutes()]);
        return routeFamilies(routes, links);
      },
    };
  },
};
