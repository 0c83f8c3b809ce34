import { eq } from 'drizzle-orm';
import { aiUsage } from '../src/db/schema/ai-usage.js';
import type { TestApp } from './helpers.js';

/** A small request every tier can take. */
export const hello = {
  tier: 'small',
  messages: [{ role: 'user', content: 'Hi' }],
  maxOutputTokens: 100,
} as const;

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The events of a Server-Sent Events body, comments (heartbeats) left out. */
export const parseSse = (body: string): SseEvent[] =>
  body
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice('event: '.length) ?? 'message';
      const data = lines
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice('data: '.length))
        .join('\n');
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });

/** Calls the app as `headers` (a test caller's) with a JSON body. */
export const post = (t: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.app.request(path, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The ai_usage row of the request that got `res`. */
export const ledgerRow = async (t: TestApp, res: Response) => {
  const requestId = res.headers.get('x-request-id') ?? '';
  const [row] = await t.deps.db.select().from(aiUsage).where(eq(aiUsage.requestId, requestId));
  if (!row) throw new Error(`no ai_usage row for request ${requestId}`);
  return row;
};
