// The permission endpoint, as a resource server calls it: POST /v1/authz/check with its own
// client-credentials token, asking about a user by id (subject) or by the user's access token.
import { measure, rotatingBodies } from '../load.mjs';

const PERMISSIONS = ['detector:read'];

/** An autocannon load of permission checks with the service's token, one body after another. */
async function checkLoad(fixture, bodies) {
  const serviceToken = await fixture.serviceToken();
  return {
    url: `${fixture.url}/v1/authz/check`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${serviceToken}` },
    requests: [{ setupRequest: rotatingBodies(bodies) }],
  };
}

/** The autocannon load of check-subject; login-mixed runs it beside logins too. */
export async function checkSubjectLoad(fixture) {
  const users = await fixture.users();
  const bodies = users.map((user) =>
    JSON.stringify({ subject: user.id, permissions: PERMISSIONS }),
  );
  return checkLoad(fixture, bodies);
}

export const checkSubject = {
  name: 'check-subject',
  floor: 'floor-fastify',
  prepare: (fixture) => Promise.all([fixture.users(), fixture.client()]),
  async run(ctx) {
    const [result] = await measure(ctx, () => checkSubjectLoad(ctx.fixture));
    return [{ name: 'check-subject', floor: this.floor, ...result }];
  },
};

export const checkToken = {
  name: 'check-token',
  // Verifies the user's token and its session on top of check-subject's work.
  floor: 'floor-fastify',
  prepare: (fixture) => Promise.all([fixture.tokenSessions(), fixture.client()]),
  async run(ctx) {
    const { fixture } = ctx;
    const tokens = await fixture.userAccessTokens();
    const bodies = tokens.map((token) => JSON.stringify({ token, permissions: PERMISSIONS }));
    const [result] = await measure(ctx, () => checkLoad(fixture, bodies));
    return [{ name: 'check-token', floor: this.floor, ...result }];
  },
};
