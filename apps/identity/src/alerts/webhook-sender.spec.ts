import { startWebhookReceiver } from '../../test/support/webhook-receiver';
import { WebhookSender } from './webhook-sender';

describe('the webhook sender', () => {
  it('posts the payload as JSON', async () => {
    const receiver = await startWebhookReceiver();
    const sender = new WebhookSender(receiver.url, []);
    try {
      sender.send({ alert: 'refresh_token_reuse' });

      const [post] = await receiver.received(1);
      expect(post.body).toEqual({ alert: 'refresh_token_reuse' });
      expect(post.headers['content-type']).toBe('application/json');
    } finally {
      sender.close();
      await receiver.close();
    }
  });

  it('tries again after a failed answer until one succeeds', async () => {
    const receiver = await startWebhookReceiver((count, response) =>
      response.writeHead(count < 3 ? 503 : 204).end(),
    );
    const sender = new WebhookSender(receiver.url, [10, 10, 10]);
    try {
      sender.send({ alert: 'account_locked' });

      const posts = await receiver.received(3);
      expect(posts.map((post) => post.body.alert)).toEqual([
        'account_locked',
        'account_locked',
        'account_locked',
      ]);
    } finally {
      sender.close();
      await receiver.close();
    }
  });

  it('gives up after the last retry', async () => {
    const receiver = await startWebhookReceiver((_, response) => response.writeHead(500).end());
    const sender = new WebhookSender(receiver.url, [5]);
    try {
      sender.send({ alert: 'x' });
      await receiver.received(2);
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(receiver.posts).toHaveLength(2);
    } finally {
      sender.close();
      await receiver.close();
    }
  });
});
