import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A throwaway PKI made with the openssl CLI: one CA, certificates signed by it, one rogue. */
export interface TestPki {
  dir: string;
  caFile: string;
  /** Writes key + certificate signed by the CA (or self-signed when rogue) → their paths. */
  issue(name: string, opts: { cn: string; san: string; rogue?: boolean }): { certFile: string; keyFile: string };
  cleanup(): void;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

export function hasOpenssl(): boolean {
  try {
    openssl(['version'], os.tmpdir());
    return true;
  } catch {
    return false;
  }
}

export function createPki(): TestPki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nets-pki-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=nets test CA'], dir);
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    issue(name, { cn, san, rogue = false }) {
      const keyFile = path.join(dir, `${name}.key`);
      const certFile = path.join(dir, `${name}.pem`);
      writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${san}\n`);
      if (rogue) {
        openssl(['req', '-x509', ...ec, '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', `/CN=${cn}`, '-addext', `subjectAltName=${san}`], dir);
      } else {
        openssl(['req', ...ec, '-keyout', keyFile, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
        openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', certFile, '-days', '2', '-extfile', `${name}.ext`], dir);
      }
      return { certFile, keyFile };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
