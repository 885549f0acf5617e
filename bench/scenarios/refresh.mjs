// Refresh-token grants. Every refresh retires the token it presents, and presenting a retired
// one again revokes the whole session, so each connection owns one session and always sends
// the newest refresh token of its chain.
import { measure } from '../load.mjs';

/**
 * Per-connection state lives in a closure made by autocannon's `setupClient`, once per
 * connection: autocannon's own `context` is reset each time a connection starts its `requests`
 * list over (every request, with a list of one), so it cannot carry the chain.
 */
function refreshLoad(url, chains) {
  let nextChain = 0;
  return {
    url: `${url}/oauth/token`,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    setupClient(client) {
      const chain = chains[nextChain++];
      client.setRequests([
        {
          setupRequest(request) {
            // base64url: nothing to escape in a form body.
            request.body = `grant_type=refresh_token&refresh_token=${chain.refreshToken}`;
            return request;
          },
          // Runs before the connection's next request is built: that one carries the new token.
          onResponse(status, body) {
            if (status === 200) chain.refreshToken = JSON.parse(body).refresh_token;
          },
        },
      ]);
    },
  };
}

export const refresh = {
  name: 'refresh',
  floor: 'floor-rotation',
  /**
   * One session per connection for the warm-up and another for the measured run: when a run
   * stops, answers still in flight are dropped, so the chains it used may be one token behind.
   */
  async prepare(fixture, settings) {
    return {
      warmup: settings.warmup > 0 ? await fixture.loginMany(settings.connections) : [],
      measure: await fixture.loginMany(settings.connections),
    };
  },
  async run(ctx, chains) {
    const [result] = await measure(ctx, (phase) => refreshLoad(ctx.url, chains[phase]));
    return [{ name: 'refresh', floor: this.floor, ...result }];
  },
};
