// The framework floor's server: bare Fastify (the version Tessera runs on), one JSON route that
// answers the shape of a permission check, no hooks, no logging. Run as a child process so it
// gets an event loop of its own, as Tessera does.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/check', async () => ({
  subject: null,
  allowed: true,
  results: { 'detector:read': true },
}));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
