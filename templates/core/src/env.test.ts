import { readFileSync } from 'node:fs';
import { parseEnv as parseDotenv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.js';

const example = parseDotenv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'));

const problemsOf = (source: Record<string, string>) => {
  try {
    parseEnv(source);
  } catch (err) {
    if (err instanceof EnvError) return err.problems;
    throw err;
  }
  throw new Error('expected an EnvError');
};

describe('env', () => {
  it('accepts .env.example, which documents every variable', () => {
    expect(() => parseEnv(example)).not.toThrow();
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      ...example,
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      CORS_ORIGINS: 'https://a.example/path',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/^PORT: /m);
    expect(problems.join('\n')).toMatch(/^LOG_LEVEL: /m);
    expect(problems.join('\n')).toMatch(/^CORS_ORIGINS: not an origin/m);
  });

  it('refuses CORS_ORIGINS=* together with credentials, alongside any other problem', () => {
    expect(problemsOf({ ...example, CORS_ORIGINS: '*', CORS_CREDENTIALS: 'true' })).toEqual([
      expect.stringContaining('CORS_CREDENTIALS=true cannot be combined with CORS_ORIGINS=*'),
    ]);
    expect(problemsOf({ ...example, CORS_ORIGINS: '*', CORS_CREDENTIALS: 'true', PORT: 'x' })).toHaveLength(2);
  });

  it('treats an empty value as unset, so the default applies', () => {
    expect(parseEnv({ ...example, PORT: '' }).PORT).toBe(3000);
  });
});
