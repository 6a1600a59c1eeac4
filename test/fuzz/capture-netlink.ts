/**
 * Records real netlink dumps as fuzz seeds (fixtures/netlink/fuzz/*.hex, one datagram per line).
 * Run once, as root, inside a private network namespace with a few interfaces in it:
 *   unshare -n sh -c 'ip link set lo up; ip link add d0 type bridge; ip link set d0 up;
 *     ip addr add 10.9.0.1/24 dev d0; ip neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev d0;
 *     ip link add v0 type veth peer name v1; ip link set v0 up; ip link set v1 up;
 *     node dist/test/fuzz/capture-netlink.js'
 * (a listening TCP socket is opened here so the sock_diag dump has a record).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import net from 'node:net';
import { NETLINK_GENERIC, NETLINK_ROUTE, NETLINK_SOCK_DIAG, netlinkDump } from '../../src/native.js';
import { genlRequest, resolveFamily } from '../../src/netlink/genl.js';
import { inetDiagRequest, SOCK_DIAG_BY_FAMILY, AF_INET } from '../../src/netlink/inet-diag.js';
import { linkModesRequestAttributes } from '../../src/netlink/ethtool-linkmodes.js';
import { RTM_GETLINK, RTM_GETNEIGH, RTM_GETQDISC } from '../../src/netlink/route.js';
import { fixturePath } from '../helpers/repo.js';

const RTM_GETROUTE = 26;
const GENL_ID_CTRL = 16;
const dir = fixturePath('netlink', 'fuzz');
mkdirSync(dir, { recursive: true });

function save(name: string, what: string, datagrams: readonly Buffer[]): void {
  writeFileSync(`${dir}/${name}.hex`, `# ${what}: one datagram per line, hex (test/fuzz/capture-netlink.ts)\n${datagrams.map((d) => d.toString('hex')).join('\n')}\n`);
}

const server = net.createServer().listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const neigh = Buffer.alloc(12);
neigh.writeUInt8(AF_INET, 0);
save('rtm-getlink', 'RTM_GETLINK dump', await netlinkDump(NETLINK_ROUTE, RTM_GETLINK, 0, Buffer.alloc(16)));
save('rtm-getroute', 'RTM_GETROUTE dump', await netlinkDump(NETLINK_ROUTE, RTM_GETROUTE, 0, Buffer.alloc(12)));
save('rtm-getneigh', 'RTM_GETNEIGH dump (AF_INET)', await netlinkDump(NETLINK_ROUTE, RTM_GETNEIGH, 0, neigh));
save('rtm-getqdisc', 'RTM_GETQDISC dump', await netlinkDump(NETLINK_ROUTE, RTM_GETQDISC, 0, Buffer.alloc(20)));
save('sock-diag-tcp4', 'SOCK_DIAG_BY_FAMILY dump (AF_INET TCP)', await netlinkDump(NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, 0, inetDiagRequest(AF_INET)));
save('genl-ctrl-getfamily', 'generic netlink controller family dump', await netlinkDump(NETLINK_GENERIC, GENL_ID_CTRL, 0, genlRequest(3, 1)));
const ethtool = await resolveFamily('ethtool');
if (ethtool !== undefined) {
  save(
    'ethtool-linkmodes',
    `ethtool LINKMODES_GET dump (family id ${ethtool.id})`,
    await netlinkDump(NETLINK_GENERIC, ethtool.id, 0, genlRequest(4, ethtool.version, linkModesRequestAttributes())),
  );
}
server.close();
