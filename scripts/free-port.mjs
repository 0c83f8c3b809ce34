import { createServer } from 'node:net';

/**
 * A port the OS has just handed out on loopback. Picking one at random can land on a port that is
 * busy, or on one fetch() refuses to call (its "bad ports" list: 3659, 4045, 6000, ...); OS-assigned
 * ports come from the ephemeral range, above all of those.
 */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
