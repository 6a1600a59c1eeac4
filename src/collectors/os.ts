import { NoDataError, newDesc, type CollectorDefinition } from '../collector.js';
import { osVersion, parseOsRelease, supportEndSeconds } from '../etc/os-release.js';
import { readAndParse } from '../read/files.js';
import { hasErrno } from '../errno.js';

/** Where os-release(5) may live, in the order systemd reads them. */
const OS_RELEASE_FILES = ['/etc/os-release', '/usr/lib/os-release'];

const INFO_LABELS = {
  build_id: 'BUILD_ID',
  id: 'ID',
  id_like: 'ID_LIKE',
  image_id: 'IMAGE_ID',
  image_version: 'IMAGE_VERSION',
  name: 'NAME',
  pretty_name: 'PRETTY_NAME',
  variant: 'VARIANT',
  variant_id: 'VARIANT_ID',
  version: 'VERSION',
  version_codename: 'VERSION_CODENAME',
  version_id: 'VERSION_ID',
} as const;

const infoDesc = newDesc('node_os_info', 'Constant 1, labelled with the fields of os-release(5).', 'gauge', Object.keys(INFO_LABELS));
const versionDesc = newDesc('node_os_version', 'The major.minor part of the OS version (VERSION_ID) as a number.', 'gauge', ['id', 'id_like', 'name']);
const supportEndDesc = newDesc('node_os_support_end_timestamp_seconds', 'When the OS release stops being supported (SUPPORT_END), as a Unix timestamp.', 'gauge');

export const os: CollectorDefinition = {
  name: 'os',
  defaultEnabled: true,
  create({ paths }) {
    const files = OS_RELEASE_FILES.map((f) => paths.rootfsFilePath(f));
    return {
      async collect(_ctx, out) {
        let release: Record<string, string> | undefined;
        for (const file of files) {
          try {
            release = await readAndParse(file, parseOsRelease);
            break;
          } catch (err) {
            if (!hasErrno(err, 'ENOENT')) throw err;
          }
        }
        if (release === undefined) throw new NoDataError(`no os-release file found (${files.join(', ')})`);
        const r = release;
        const get = (k: string) => r[k] ?? '';
        out.addv(infoDesc, 1, Object.values(INFO_LABELS).map(get));
        const version = osVersion(get('VERSION_ID'));
        if (version !== undefined && version > 0) out.add(versionDesc, version, get('ID'), get('ID_LIKE'), get('NAME'));
        if (get('SUPPORT_END') !== '') out.add(supportEndDesc, supportEndSeconds(get('SUPPORT_END')));
      },
    };
  },
};
