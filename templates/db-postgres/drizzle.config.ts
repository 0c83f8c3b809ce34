import { existsSync } from 'node:fs';
import { defineConfig } from 'drizzle-kit';

if (existsSync('.env')) process.loadEnvFile('.env');

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './src/db/migrations',
  // `db:generate` needs no database; `db:studio` connects to DATABASE_URL.
  dbCredentials: { url: process.env.DATABASE_URL ?? '' },
});
