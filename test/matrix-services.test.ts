import { afterEach, describe, expect, it } from 'vitest';
import { PGLITE_MAX_CONNECTIONS, redisServerBinary } from '../src/matrix/fallback.js';
import { formatReport, type TierReport } from '../src/matrix/report.js';
import {
  adminDatabaseUrl,
  baseRedisUrl,
  configuredDatabaseUrl,
  configuredRedisUrl,
  fallbackMode,
  fallsBack,
} from '../src/matrix/services.js';
import { skippedTests } from '../src/matrix/tier1.js';

const KEYS = ['MATRIX_DATABASE_URL', 'DATABASE_URL', 'MATRIX_REDIS_URL', 'REDIS_URL'] as const;
const saved = Object.fromEntries(KEYS.map((k) => [k, process.env[k]]));
const setEnv = (env: Partial<Record<(typeof KEYS)[number], string>>) => {
  for (const k of KEYS) delete process.env[k];
  Object.assign(process.env, env);
};
afterEach(() => {
  for (const k of KEYS) {
    const v = saved[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('matrix services: which server, or which stand-in', () => {
  it('reads MATRIX_FALLBACK: auto by default, 1 and 0, anything else refused', () => {
    const env = process.env.MATRIX_FALLBACK;
    delete process.env.MATRIX_FALLBACK;
    try {
      expect(fallbackMode()).toBe('auto');
    } finally {
      if (env !== undefined) process.env.MATRIX_FALLBACK = env;
    }
    expect(fallbackMode('')).toBe('auto');
    expect(fallbackMode('auto')).toBe('auto');
    expect(fallbackMode('1')).toBe('always');
    expect(fallbackMode('0')).toBe('never');
    expect(() => fallbackMode('pglite')).toThrow(/MATRIX_FALLBACK/);
  });

  it('falls back by default only when no server was configured (CI configures its servers)', () => {
    expect(fallsBack('auto', false)).toBe(true);
    expect(fallsBack('auto', true)).toBe(false);
    expect(fallsBack('always', true)).toBe(true);
    expect(fallsBack('never', false)).toBe(false);
  });

  it('takes server URLs from MATRIX_* first, then the plain variables, ignoring non-server values', () => {
    setEnv({});
    expect(configuredDatabaseUrl()).toBeUndefined();
    expect(configuredRedisUrl()).toBeUndefined();
    expect(adminDatabaseUrl()).toBe('postgres://postgres:postgres@127.0.0.1:5432/postgres');
    expect(baseRedisUrl()).toBe('redis://127.0.0.1:6379');
    setEnv({ DATABASE_URL: './data/app.db', REDIS_URL: 'redis://h:1' });
    expect(configuredDatabaseUrl()).toBeUndefined();
    expect(configuredRedisUrl()).toBe('redis://h:1');
    setEnv({ MATRIX_DATABASE_URL: 'postgres://a@h:1/x', DATABASE_URL: 'postgres://b@h:2/y' });
    expect(adminDatabaseUrl()).toBe('postgres://a@h:1/x');
  });

  it('finds redis-server only where it is executable; MATRIX_REDIS_SERVER=none starts none', () => {
    expect(redisServerBinary('none')).toBeUndefined();
    expect(redisServerBinary('/nonexistent/redis-server')).toBeUndefined();
    expect(redisServerBinary('no-such-binary-on-path-omx')).toBeUndefined();
    expect(redisServerBinary(process.execPath)).toBe(process.execPath);
  });

  it('serves PGlite to at least as many clients as the generated app pools', () => {
    expect(PGLITE_MAX_CONNECTIONS).toBeGreaterThanOrEqual(10);
  });

  it("reads the skipped count from vitest's summary", () => {
    expect(skippedTests(' Test Files  5 passed | 1 skipped (6)\n      Tests  40 passed | 7 skipped (47)\n')).toBe(7);
    expect(skippedTests('      Tests  40 passed (40)\n')).toBe(0);
    expect(skippedTests('\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m3 passed\u001b[39m | 2 skipped (5)')).toBe(
      2,
    );
  });

  it('reports where services came from and counts skipped steps', () => {
    const r: TierReport = {
      tier: 1,
      combinations: 2,
      passed: 2,
      failed: 0,
      failures: [],
      steps: {},
      medianComboMs: 0,
      totalMs: 1000,
      services: { postgres: 'FELL BACK to PGlite', redis: 'FELL BACK to NONE: no Redis' },
      skipped: [
        { id: 'pairs-01', step: 'boot', reason: 'no Redis' },
        { id: 'pairs-02', step: 'boot', reason: 'no Redis' },
        { id: 'pairs-01', step: 'test', reason: '6 tests skipped: no Redis' },
      ],
      notes: [],
      details: [],
    };
    const text = formatReport(r);
    expect(text).toContain('services: postgres: FELL BACK to PGlite');
    expect(text).toContain('SKIPPED boot in 2 combinations (pairs-01, pairs-02): no Redis');
    expect(text).toContain('SKIPPED test in 1 combination (pairs-01): no Redis');
    expect(text.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });
});
