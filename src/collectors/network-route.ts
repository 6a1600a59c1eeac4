import { newDesc, type CollectorDefinition, type Sink } from '../collector.js';
import { formatIP, formatPrefix } from '../netlink/ip.js';
import { dumpRoutes, RTN_UNICAST, type Route } from '../netlink/route-table.js';
import { dumpLinks } from '../netlink/route.js';

const routeInfo = newDesc('node_network_route_info', 'A route of any table, in labels; always 1.', 'gauge', ['device', 'src', 'dest', 'gw', 'priority', 'proto', 'weight']);
const routesPerDevice = newDesc('node_network_routes', 'Routes by output device.', 'gauge', ['device']);

/** rtm_protocol names (linux/rtnetlink.h RTPROT_*) as node_exporter spells them. */
const PROTOCOLS = new Map<number, string>([
  [0, 'unspec'],
  [1, 'redirect'],
  [2, 'kernel'],
  [3, 'boot'],
  [4, 'static'],
  [8, 'gated'],
  [9, 'ra'],
  [10, 'mrt'],
  [11, 'zebra'],
  [12, 'bird'],
  [13, 'dnrouted'],
  [14, 'xorp'],
  [15, 'ntk'],
  [16, 'dhcp'],
  [17, 'mrouted'],
  [42, 'babel'],
  [186, 'bgp'],
  [187, 'isis'],
  [188, 'ospf'],
  [189, 'rip'],
  [192, 'eigrp'],
]);

/** Routes and interface names → node_network_route_info and node_network_routes. */
export function addRoutes(out: Sink, routes: readonly Route[], links: ReadonlyMap<number, string>): void {
  const perDevice = new Map<string, number>();
  const emit = (device: string, src: string, dest: string, gw: string, priority: string, proto: string, weight: string) => {
    out.addv(routeInfo, 1, [device, src, dest, gw, priority, proto, weight]);
    perDevice.set(device, (perDevice.get(device) ?? 0) + 1);
  };
  for (const r of routes) {
    // Unicast only: local, broadcast and multicast entries are no routes to anywhere.
    if (r.type !== RTN_UNICAST) continue;
    const src = formatIP(r.prefsrc);
    const dest = formatPrefix(r.dst, r.dstLength);
    const priority = String(r.priority);
    const proto = PROTOCOLS.get(r.protocol) ?? 'unknown';
    if (r.multipath.length > 0) {
      for (const hop of r.multipath) emit(links.get(hop.ifindex) ?? '', src, dest, formatIP(hop.gateway), priority, proto, String(hop.hops + 1));
    } else {
      emit(links.get(r.oif) ?? '', src, dest, formatIP(r.gateway), priority, proto, '');
    }
  }
  for (const [device, n] of perDevice) out.add(routesPerDevice, n, device);
}

export const networkRoute: CollectorDefinition = {
  name: 'network_route',
  defaultEnabled: false,
  create() {
    return {
      async collect(_ctx, out) {
        const [links, routes] = await Promise.all([dumpLinks(), dumpRoutes()]);
        addRoutes(out, routes, links);
      },
    };
  },
};
