// `npm run demo`: Tessera and the example detector registry side by side, wired together.
//
// Starts Tessera (embedded database in ./data/demo, the roles of examples/roles.yaml), logs in
// as the bootstrap admin, gives the registry a service client holding `authz-service` (kept in
// ./data/demo/example-client.json, mode 0600, and reused while it still works), then starts the
// registry with it. For trying things out only: the admin role counts without a second factor.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const email = process.env.BOOTSTRAP_ADMIN_EMAIL;
const password = process.env.BOOTSTRAP_ADMIN_PASSWORD;
if (!email || !password) {
  process.stderr.write(
    'demo: choose the admin you will act as, for example\n' +
      "  BOOTSTRAP_ADMIN_EMAIL=admin@example.com BOOTSTRAP_ADMIN_PASSWORD='a long passphrase of yours' npm run demo\n",
  );
  process.exit(2);
}

const port = Number(process.env.PORT ?? 3000);
const examplePort = Number(process.env.EXAMPLE_PORT ?? 3001);
const tessera = `http://127.0.0.1:${port}`;
const dataDir = resolve(process.env.DATA_DIR ?? 'data/demo');
const clientFile = join(dataDir, 'example-client.json');
mkdirSync(dataDir, { recursive: true });

const children = [];
function start(name, entry, env) {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  child.on('exit', (code) => {
    if (!stopping) {
      process.stderr.write(`demo: ${name} exited (${code}); stopping\n`);
      stop(1);
    }
  });
  children.push(child);
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

async function call(path, { method = 'GET', token, body, form, basic } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (basic) headers.authorization = `Basic ${Buffer.from(basic.join(':')).toString('base64')}`;
  if (body) headers['content-type'] = 'application/json';
  if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await fetch(`${tessera}${path}`, {
    method,
    headers,
    body: body ? JSON.stringify(body) : form ? new URLSearchParams(form) : undefined,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

async function untilReady() {
  for (let tries = 0; tries < 120; tries++) {
    const ready = await call('/health/ready').catch(() => undefined);
    if (ready?.status === 200) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error('Tessera did not become ready in 30 s');
}

/** The saved client if Tessera still accepts it, else a new one from the admin API. */
async function exampleClient() {
  try {
    const saved = JSON.parse(readFileSync(clientFile, 'utf8'));
    const grant = await call('/oauth/token', {
      method: 'POST',
      form: { grant_type: 'client_credentials' },
      basic: [saved.clientId, saved.clientSecret],
    });
    if (grant.status === 200) return saved;
  } catch {
    // No saved client yet, or an unreadable one: make a new one.
  }
  const login = await call('/v1/auth/login', { method: 'POST', body: { email, password } });
  if (login.status !== 200 || !login.body.access_token) {
    throw new Error(
      `the bootstrap admin could not log in (${login.status}): is ${dataDir} from another admin?`,
    );
  }
  const created = await call('/v1/admin/clients', {
    method: 'POST',
    token: login.body.access_token,
    body: { name: 'example detector registry', roles: ['authz-service'] },
  });
  if (created.status !== 201) throw new Error(`creating the client answered ${created.status}`);
  const { clientId, clientSecret } = created.body;
  writeFileSync(clientFile, JSON.stringify({ clientId, clientSecret }), { mode: 0o600 });
  return { clientId, clientSecret };
}

async function main() {
  start('Tessera', 'dist/apps/identity/src/main.js', {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ISSUER: tessera,
    ROLES_FILE: resolve('examples/roles.yaml'),
    ADMIN_MFA_REQUIRED: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  await untilReady();
  const { clientId, clientSecret } = await exampleClient();
  start('example-resource', 'dist/apps/example-resource/src/main.js', {
    EXAMPLE_PORT: String(examplePort),
    TESSERA_ISSUER: tessera,
    EXAMPLE_CLIENT_ID: clientId,
    EXAMPLE_CLIENT_SECRET: clientSecret,
  });
  process.stdout.write(
    `\nTessera on ${tessera}, the detector registry on http://127.0.0.1:${examplePort}.\n` +
      'Walk through it with the commands under "The example service" in README.md. Ctrl-C stops both.\n\n',
  );
}

main().catch((error) => {
  process.stderr.write(`demo: ${error.message}\n`);
  stop(1);
});
