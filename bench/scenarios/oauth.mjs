// The OAuth endpoints a service calls: client-credentials grants and introspection (both with
// client_secret_basic), and the JWKS every resource server fetches.
import { measure, rotatingBodies } from '../load.mjs';

export const clientCredentials = {
  name: 'client-credentials',
  // Each grant signs one access token: RS256 signing bounds it on one event loop.
  floor: 'floor-sign',
  prepare: (fixture) => fixture.client(),
  async run(ctx) {
    const authorization = await ctx.fixture.clientAuthorization();
    const [result] = await measure(ctx, () => ({
      url: `${ctx.url}/oauth/token`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      body: 'grant_type=client_credentials',
    }));
    return [{ name: 'client-credentials', floor: this.floor, ...result }];
  },
};

export const introspect = {
  name: 'introspect',
  prepare: (fixture) => Promise.all([fixture.tokenSessions(), fixture.client()]),
  async run(ctx) {
    const { fixture } = ctx;
    const [tokens, authorization] = await Promise.all([
      fixture.userAccessTokens(),
      fixture.clientAuthorization(),
    ]);
    // A JWT is base64url and dots: nothing to escape in a form body.
    const bodies = tokens.map((token) => `token=${token}`);
    const [result] = await measure(ctx, () => ({
      url: `${ctx.url}/oauth/introspect`,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
      requests: [{ setupRequest: rotatingBodies(bodies) }],
    }));
    return [{ name: 'introspect', ...result }];
  },
};

export const jwks = {
  name: 'jwks',
  // A document held in memory: what is left is the framework's own cost per request.
  floor: 'floor-fastify',
  prepare: async () => {},
  async run(ctx) {
    const [result] = await measure(ctx, () => ({ url: `${ctx.url}/.well-known/jwks.json` }));
    return [{ name: 'jwks', floor: this.floor, ...result }];
  },
};
