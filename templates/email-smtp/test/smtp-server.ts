import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The raw message (headers and MIME body) as the server received it. */
  raw: string;
}

/**
 * A real SMTP server on a free loopback port that keeps every message it receives. Plain text on
 * loopback only; `reject` makes it answer the next messages with that SMTP reply (e.g. 550).
 */
export const startSmtpServer = async (credentials = { user: 'app', pass: 'secret' }) => {
  const received: ReceivedMail[] = [];
  let rejectWith: { code: number; message: string } | undefined;
  const server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, done) {
      if (auth.username === credentials.user && auth.password === credentials.pass) done(null, { user: auth.username });
      else done(new Error('Invalid username or password'));
    },
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (rejectWith) {
          done(Object.assign(new Error(rejectWith.message), { responseCode: rejectWith.code }));
          return;
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString(),
        });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${credentials.user}:${credentials.pass}@127.0.0.1:${port}`,
    port,
    received,
    reject: (code: number, message: string) => {
      rejectWith = { code, message };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** For every test app (test/helpers.ts): its mail goes to a server of its own. */
export const startEmailTestService = async () => {
  const server = await startSmtpServer();
  return { env: { SMTP_URL: server.url }, drop: server.close };
};
