import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { client } from '../apps/identity/test/support/http';
import {
  CAN_RUN_SCRATCH_CLUSTER,
  createScratchCluster,
} from '../apps/identity/test/support/scratch-cluster';
import {
  selfSignedCertificate,
  type TestCertificate,
} from '../apps/identity/test/support/test-certificates';
import { freePort, startApp } from '../apps/identity/test/support/test-app';
import { ON_POSTGRES, type TestDatabase } from '../apps/identity/test/support/test-database';

/** Who the scratch cluster runs as, and so who must own its key: `postgres` when we are root. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

// Needs the machine's PostgreSQL programs; CI runs it with the PostgreSQL suite.
const describeWithCluster = ON_POSTGRES && CAN_RUN_SCRATCH_CLUSTER ? describe : describe.skip;

describeWithCluster('PostgreSQL over TLS, verified against DATABASE_CA_FILE', () => {
  let server: TestCertificate;
  let stranger: TestCertificate;
  let cluster: ReturnType<typeof createScratchCluster>;

  beforeAll(async () => {
    server = selfSignedCertificate(clusterOwner());
    stranger = selfSignedCertificate();
    cluster = createScratchCluster(await freePort(), {
      ssl: 'on',
      ssl_cert_file: server.cert,
      ssl_key_file: server.key,
    });
    cluster.start();
  });

  afterAll(() => {
    cluster?.remove();
    for (const certificate of [server, stranger]) {
      if (certificate) rmSync(certificate.dir, { recursive: true, force: true });
    }
  });

  /** The scratch cluster with `query` on its URL; it outlives each app. */
  const database = (query: string): TestDatabase => ({
    env: { DATABASE_URL: `${cluster.url}?${query}` },
    drop: async () => undefined,
  });

  it('connects with sslmode=verify-full and the CA file, and every query goes over TLS', async () => {
    const app = await startApp({ DATABASE_CA_FILE: server.cert }, database('sslmode=verify-full'));
    try {
      const rows: { ssl: boolean }[] = await app.db.query(
        'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
      );

      expect(rows).toEqual([{ ssl: true }]);
      expect((await client(app.url).get('/health/ready')).status).toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('refuses to start when nothing it trusts signed the server certificate', async () => {
    await expect(startApp({}, database('sslmode=verify-full'))).rejects.toThrow(
      /self[- ]signed certificate/i,
    );
  });

  it('refuses to start when DATABASE_CA_FILE names another CA', async () => {
    await expect(
      startApp({ DATABASE_CA_FILE: stranger.cert }, database('sslmode=require')),
    ).rejects.toThrow(/certificate/i);
  });
});
