// Token verification inside a resource server, with no HTTP per token: the kit's TokenVerifier
// from the compiled build, built as AuthClientModule builds it (options resolved, keys found
// through the issuer's metadata and JWKS), verifying real Tessera access tokens one at a time.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { ROOT } from '../tessera.mjs';
import { timedWithWarmup } from '../timing.mjs';

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
    const result = await timedWithWarmup(ctx.settings, 1, () =>
      verifier.verify(tokens[next++ % tokens.length]),
    );
    return [
      {
        name: 'kit-verify',
        floor: this.floor,
        non2xx: 0,
        errors: 0,
        ...result,
        note: 'in process, one verification at a time',
      },
    ];
  },
};
