import type { ModuleManifest } from './types.js';

/** Every deploy preset builds on the Dockerfile. */
export const deployDocker: ModuleManifest = {
  id: 'deploy-docker',
  description: 'Dockerfile (Node LTS, multi-stage, non-root) and docker-compose.yml',
  when: (a) => a.deploy !== 'none',
  slots: {
    readme: [
      {
        title: 'Docker',
        body: [
          'Run the production image locally, with the database and cache it needs:',
          '',
          '```sh',
          'docker compose up --build',
          '```',
          '',
          'Compose reads secrets from `.env` (or your shell) and names any that is missing. The image',
          'runs `node dist/index.js` as the unprivileged `node` user, checks `GET /health`, and writes',
          'only to `/app/data` (SQLite database, local uploads): mount a volume there.',
        ].join('\n'),
      },
    ],
  },
};

export const deployRailway: ModuleManifest = {
  id: 'deploy-railway',
  description: 'railway.toml: Dockerfile build, readiness check on deploy, restart policy',
  when: (a) => a.deploy === 'railway',
  slots: {
    readme: [
      {
        title: 'Deploy to Railway',
        body: [
          '1. Create a Railway project from this repository (or run `railway up`). `railway.toml` builds the',
          '   Dockerfile and switches traffic only once `GET /health/ready` answers.',
          '2. PostgreSQL or Redis: add them to the project and set `DATABASE_URL` / `REDIS_URL` to their',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: Railway's reference-variable syntax, not ours
          '   reference variables, e.g. `${{Postgres.DATABASE_URL}}`.',
          '3. Set every secret from `.env.example` in the service variables.',
          '4. SQLite or local uploads: attach a volume mounted at `/app/data`. Railway volumes are owned',
          '   by root; if the app cannot write there, set the variable `RAILWAY_RUN_UID=0`.',
        ].join('\n'),
      },
    ],
  },
};

export const deployFly: ModuleManifest = {
  id: 'deploy-fly',
  description: 'fly.toml: Dockerfile build, HTTP service with health checks, data volume when needed',
  when: (a) => a.deploy === 'fly',
  slots: {
    readme: [
      {
        title: 'Deploy to Fly.io',
        body: [
          '```sh',
          'fly launch --no-deploy   # keeps fly.toml; pick another app name if this one is taken',
          'fly secrets set NAME=value ...   # every secret from .env.example',
          'fly deploy',
          '```',
          '',
          'PostgreSQL or Redis: create them (`fly postgres create` or any managed provider, `fly redis create`)',
          'and set `DATABASE_URL` / `REDIS_URL` as secrets. When `fly.toml` mounts a volume (SQLite, local',
          'uploads), run a single machine: `fly scale count 1`.',
        ].join('\n'),
      },
    ],
  },
};

export const deployRender: ModuleManifest = {
  id: 'deploy-render',
  description: 'render.yaml blueprint: Docker web service with health check, managed database and cache',
  when: (a) => a.deploy === 'render',
  slots: {
    readme: [
      {
        title: 'Deploy to Render',
        body: [
          'In the Render dashboard choose **New > Blueprint** and pick this repository. `render.yaml`',
          'creates the web service (built from the Dockerfile) and, when the app uses them, a PostgreSQL',
          'database, a Key Value (Redis) instance and a disk at `/app/data`, and wires `DATABASE_URL` and',
          '`REDIS_URL`. Render asks for each secret (`sync: false`) when the Blueprint is created.',
        ].join('\n'),
      },
    ],
  },
};
