import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedPost {
  body: any;
  headers: IncomingMessage['headers'];
}

/**
 * A local HTTP server standing in for an alert webhook. `answer` decides each reply (by default
 * 204); `posts` holds what arrived, and `next()` waits for the next post.
 */
export async function startWebhookReceiver(
  answer: (count: number, response: ServerResponse) => void = (_, response) =>
    response.writeHead(204).end(),
) {
  const posts: ReceivedPost[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      posts.push({ body: JSON.parse(text), headers: request.headers });
      waiters.splice(0).forEach((wake) => wake());
      answer(posts.length, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    posts,
    /** Resolves once `count` posts have arrived in all. */
    async received(count: number): Promise<ReceivedPost[]> {
      while (posts.length < count) await new Promise<void>((wake) => waiters.push(wake));
      return posts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
