// The AI gateway's cost: time to the first streamed token, and CPU per streamed chunk, of the generated
// project's router (models.ts, breaker and retry bookkeeping, the OpenAI provider on the real SDK)
// against calling the same SDK directly, both at the same local OpenAI-style SSE server, alternating
// in one run. Target (issue #12): at most 2 ms added to the first token.
//
//   npm run build && node bench/ai.mjs [--rounds 200] [--chunks 2000]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchProject } from './lib.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '200' }, chunks: { type: 'string', default: '2000' } },
});

const project = await benchProject({
  createArgs: ['--yes', '--ai', 'openai'],
  needs: ['openai'],
  bare: { path: '/health', body: { status: 'ok' } },
});

// Runs inside the built project, on its Node line, so both sides load the same `openai` package.
const script = `
import { createServer } from 'node:http';
import OpenAI from 'openai';
import { createAi } from './dist/lib/ai/gateway.js';
import { createLogger } from './dist/lib/logger.js';
import { createMemoryCache } from './dist/lib/memory-cache.js';

const rounds = ${Number(values.rounds)};
const longStream = ${Number(values.chunks)};
let chunks = 1;

// A local stand-in for the Chat Completions API: \`chunks\` one-token deltas, the finish, then usage.
const sse = (choices, extra = {}) =>
  \`data: \${JSON.stringify({ id: 'b', object: 'chat.completion.chunk', created: 0, model: 'gpt-5-mini', choices, ...extra })}\\n\\n\`;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    let body = '';
    for (let i = 0; i < chunks; i++) body += sse([{ index: 0, delta: { content: 'x' }, finish_reason: null }]);
    body += sse([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    body += sse([], { usage: { prompt_tokens: 5, completion_tokens: chunks, total_tokens: 5 + chunks } });
    res.end(\`\${body}data: [DONE]\\n\\n\`);
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseURL = \`http://127.0.0.1:\${server.address().port}/v1\`;

const messages = [{ role: 'user', content: 'Say x.' }];
const client = new OpenAI({ apiKey: 'bench', baseURL, maxRetries: 0 });
const direct = async (onToken) => {
  const stream = await client.chat.completions.create({
    model: 'gpt-5-mini',
    messages,
    max_completion_tokens: 4096,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) onToken();
};

const env = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  OPENAI_API_KEY: 'bench',
  OPENAI_BASE_URL: baseURL,
  AI_ATTEMPT_TIMEOUT_MS: 30_000,
  AI_REQUEST_TIMEOUT_MS: 120_000,
  AI_MAX_OUTPUT_TOKENS: 4096,
  AI_BUDGET_DAILY_USD: 0,
  AI_BUDGET_MONTHLY_USD: 0,
};
const ai = createAi({ env, logger: createLogger(env), cache: createMemoryCache({ maxEntries: 10_000 }) });
const gateway = async (onToken) => {
  const events = ai.router.stream({ messages, model: 'gpt-5-mini' }, { signal: new AbortController().signal });
  for await (const event of events) {
    if (event.type === 'text-delta') onToken();
    if (event.type === 'error') throw new Error(event.message);
  }
};

/** Milliseconds from the call to its first token. */
const firstToken = async (call) => {
  const start = performance.now();
  let first;
  await call(() => {
    first ??= performance.now() - start;
  });
  return first;
};

/** CPU microseconds per streamed chunk over one long stream. */
const cpuPerChunk = async (call) => {
  const before = process.cpuUsage();
  await call(() => {});
  const used = process.cpuUsage(before);
  return (used.user + used.system) / chunks;
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sides = { direct, gateway };
const results = { direct: { first: [], cpu: [] }, gateway: { first: [], cpu: [] } };
for (const call of Object.values(sides)) for (let i = 0; i < 20; i++) await firstToken(call); // warm-up
for (let round = 0; round < rounds; round++) {
  // Alternate which goes first, so drift in the machine's load hits both alike.
  const order = round % 2 ? ['gateway', 'direct'] : ['direct', 'gateway'];
  for (const name of order) results[name].first.push(await firstToken(sides[name]));
}
chunks = longStream;
for (let round = 0; round < 6; round++) {
  const order = round % 2 ? ['gateway', 'direct'] : ['direct', 'gateway'];
  for (const name of order) results[name].cpu.push(await cpuPerChunk(sides[name]));
}
server.close();

const d = { first: median(results.direct.first), cpu: median(results.direct.cpu) };
const g = { first: median(results.gateway.first), cpu: median(results.gateway.cpu) };
console.log(\`\\nAI streaming, \${rounds} alternating rounds (first token) and 6 streams of \${longStream} chunks (CPU), Node \${process.versions.node}\\n\`);
console.log('                           direct SDK    gateway    added');
console.log(\`first token, median ms   \${d.first.toFixed(3).padStart(10)} \${g.first.toFixed(3).padStart(10)} \${(g.first - d.first).toFixed(3).padStart(8)}\`);
console.log(\`CPU per chunk, median µs \${d.cpu.toFixed(2).padStart(10)} \${g.cpu.toFixed(2).padStart(10)} \${(g.cpu - d.cpu).toFixed(2).padStart(8)}\`);
console.log(\`\\ntarget: at most 2 ms added to the first token: \${g.first - d.first <= 2 ? 'ok' : 'MISSED'}\`);
`;
writeFileSync(join(project.dir, 'ai-bench.mjs'), script);
const result = spawnSync(project.node.node, ['ai-bench.mjs'], { cwd: project.dir, stdio: 'inherit' });
process.exit(result.status ?? 1);
