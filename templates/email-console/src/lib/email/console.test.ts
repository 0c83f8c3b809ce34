import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { message } from '../../../test/message.js';
import { createConsoleEmail } from './console.js';

/** A real pino logger whose JSON lines land in an array. */
const capture = () => {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
};

describe('console email', () => {
  it('logs the whole message in development and returns its id', async () => {
    const { logger, lines } = capture();
    const email = createConsoleEmail({ logger, from: 'noreply@example.com', showContent: true });

    const sent = await email.send(message);

    expect(sent.id).toMatch(/@console$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      email: { id: sent.id, from: 'noreply@example.com', ...message },
    });
  });

  it('accepts a single recipient', async () => {
    const { logger, lines } = capture();
    await createConsoleEmail({ logger, from: 'noreply@example.com', showContent: true }).send({
      ...message,
      to: 'ada@example.com',
    });
    expect(lines[0]).toMatchObject({ email: { to: ['ada@example.com'] } });
  });

  it('gives every message its own id', async () => {
    const email = createConsoleEmail({ ...capture(), from: 'noreply@example.com', showContent: true });
    const [a, b] = await Promise.all([email.send(message), email.send(message)]);
    expect(a.id).not.toBe(b.id);
  });

  it('keeps addresses, subject and body out of the log when content is hidden', async () => {
    const { logger, lines } = capture();
    const email = createConsoleEmail({ logger, from: 'noreply@example.com', showContent: false });

    const sent = await email.send(message);

    expect(lines[0]).toMatchObject({ level: 40, email: { id: sent.id, recipients: 2 } });
    const logged = JSON.stringify(lines);
    for (const secret of ['ada@example.com', 'Reset your password', 'token=abc']) expect(logged).not.toContain(secret);
  });

  it('refuses a message without recipients', async () => {
    const email = createConsoleEmail({ ...capture(), from: 'noreply@example.com', showContent: true });
    await expect(email.send({ ...message, to: [] })).rejects.toThrow(/no recipient/);
  });
});
