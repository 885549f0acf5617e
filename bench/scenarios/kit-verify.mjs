// Token verification inside a resource server, with no HTTP per token: the kit's TokenVerifier
// from the compiled build, built as AuthClientModule builds it (options resolved, keys found
// through the issuer's metadata and JWKS), verifying real Tessera access tokens: 16 in flight, as
// a service under load verifies its concurrent requests (jose verifies through WebCrypto, whose
// work runs on libuv's thread pool), and one at a time, for the latency of a single call.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { ROOT } from '../tessera.mjs';
import { timedWithWarmup } from '../timing.mjs';

/** Verifications in flight at once for the throughput figure. */
const IN_FLIGHT = 16;

function loadKit() {
  // The build is CommonJS (swc), with decorators that need reflect-metadata first.
  const require = createRequire(import.meta.url);
  const dist = resolve(ROOT, 'dist/libs/auth-client/src');
  require('reflect-metadata');
  return {
    ...require(`${dist}/auth-client.options.js`),
    ...require(`${dist}/issuer-client.js`),
    ...require(`${dist}/token-verifier.js`),
  };
}

export const kitVerify = {
  name: 'kit-verify',
  floor: 'floor-verify',
  prepare: (fixture) => fixture.tokenSessions(),
  async run(ctx) {
    const { resolveOptions, IssuerClient, TokenVerifier } = loadKit();
    const options = resolveOptions({ issuer: ctx.url, audience: 'api' });
    const verifier = new TokenVerifier(options, new IssuerClient(options));
    const tokens = await ctx.fixture.userAccessTokens();
    // A refusal would be measured as fast as an acceptance: make sure the tokens do verify.
    for (const token of tokens) await verifier.verify(token);
    let next = 0;
    const verifyNext = () => verifier.verify(tokens[next++ % tokens.length]);
    const row = (name, result, note) => ({
      name,
      floor: this.floor,
      non2xx: 0,
      errors: 0,
      ...result,
      note,
    });
    const concurrent = await timedWithWarmup(ctx.settings, IN_FLIGHT, verifyNext);
    const single = await timedWithWarmup(ctx.settings, 1, verifyNext);
    return [
      row('kit-verify', concurrent, `in process, ${IN_FLIGHT} verifications in flight`),
      row('kit-verify: one at a time', single, 'in process, one verification at a time'),
    ];
  },
};
