import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineConfig } from 'drizzle-kit';

if (existsSync('.env')) process.loadEnvFile('.env');

const url = process.env.DATABASE_URL || './data/app.db';
// SQLite creates the file but not its folder: `npm run db:studio` on a fresh checkout needs it.
if (url !== ':memory:') mkdirSync(dirname(url), { recursive: true });

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
  dbCredentials: { url },
});
