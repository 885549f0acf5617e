import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  dir: string;
  /** The certificate (PEM), self-signed: it is also the CA a client must trust. */
  cert: string;
  key: string;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made by openssl, for servers
 * the tests run with TLS. `owner` (uid, gid) gets the files: PostgreSQL refuses a key that is
 * not its own or that others may read.
 */
export function selfSignedCertificate(owner?: { uid: number; gid: number }): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-cert-'));
  const cert = join(dir, 'server.crt');
  const key = join(dir, 'server.key');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  if (owner) {
    for (const path of [dir, cert, key]) chownSync(path, owner.uid, owner.gid);
  }
  return { dir, cert, key };
}
