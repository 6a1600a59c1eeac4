import path from 'node:path';
import { newDesc, NoDataError, type CollectorDefinition } from '../collector.js';
import { readProcFile } from '../read/files.js';
import { hasErrno } from '../errno.js';

const slavesDesc = newDesc('node_bonding_slaves', 'Slaves configured in each bonding interface.', 'gauge', ['master']);
const active = newDesc('node_bonding_active', 'Slaves of each bonding interface whose MII status is up.', 'gauge', ['master']);

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w !== '');

/** A slave's MII status: newer kernels link it as lower_<slave>, older ones as slave_<slave>. */
async function miiStatus(masterDir: string, slave: string): Promise<string> {
  try {
    return await readProcFile(path.join(masterDir, `lower_${slave}`, 'bonding_slave', 'mii_status'));
  } catch (err) {
    if (!hasErrno(err, 'ENOENT')) throw err;
    return readProcFile(path.join(masterDir, `slave_${slave}`, 'bonding_slave', 'mii_status'));
  }
}

export const bonding: CollectorDefinition = {
  name: 'bonding',
  defaultEnabled: true,
  create({ paths }) {
    const netDir = paths.sysFilePath('class/net');
    return {
      async collect(_ctx, out) {
        try {
          const masters = words(await readProcFile(path.join(netDir, 'bonding_masters')));
          await Promise.all(
            masters.map(async (master) => {
              const masterDir = path.join(netDir, master);
              const slaves = words(await readProcFile(path.join(masterDir, 'bonding', 'slaves')));
              const states = await Promise.all(slaves.map((s) => miiStatus(masterDir, s)));
              out.add(slavesDesc, slaves.length, master);
              out.add(active, states.filter((s) => s.trim() === 'up').length, master);
            }),
          );
        } catch (err) {
          // Any missing file (no bonding module, a vanished master) is "no data", as upstream.
          if (hasErrno(err, 'ENOENT')) throw new NoDataError('bonding files not found');
          throw err;
        }
      },
    };
  },
};
