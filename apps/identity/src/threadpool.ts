import { availableParallelism } from 'node:os';

// Password hashing runs on libuv's threadpool; size it to the cores before anything uses it.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(availableParallelism(), 2));
