import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  authorization?: string;
  body: string;
}

type Handler = (request: SeenRequest) => { status: number; body?: unknown };

/**
 * A stand-in for Tessera on 127.0.0.1 for the kit's unit tests: answers metadata itself, every
 * other request through `handle`, and records every request.
 */
export async function fakeIssuer(handle: Handler) {
  const seen: SeenRequest[] = [];
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => resolve(body));
    });
  let url = '';
  const server: Server = createServer(async (request, response) => {
    const seenRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      authorization: request.headers.authorization,
      body: await read(request),
    };
    seen.push(seenRequest);
    const answer =
      seenRequest.path === '/.well-known/oauth-authorization-server'
        ? {
            status: 200,
            body: { issuer: url, jwks_uri: `${url}/jwks`, token_endpoint: `${url}/oauth/token` },
          }
        : handle(seenRequest);
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    requestsTo: (path: string) => seen.filter((request) => request.path.startsWith(path)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
