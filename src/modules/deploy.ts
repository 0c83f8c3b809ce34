import type { ModuleManifest } from './types.js';

/** Every deploy preset builds on the Dockerfile. */
export const deployDocker: ModuleManifest = {
  id: 'deploy-docker',
  description: 'Dockerfile (current Node LTS, multi-stage, non-root) and docker-compose.yml',
  when: (a) => a.deploy !== 'none',
};

export const deployRailway: ModuleManifest = {
  id: 'deploy-railway',
  description: 'railway.toml: Dockerfile build, health check, restart policy',
  when: (a) => a.deploy === 'railway',
};

export const deployFly: ModuleManifest = {
  id: 'deploy-fly',
  description: 'fly.toml: Dockerfile build, HTTP service with health checks',
  when: (a) => a.deploy === 'fly',
};

export const deployRender: ModuleManifest = {
  id: 'deploy-render',
  description: 'render.yaml blueprint: Docker web service with health check',
  when: (a) => a.deploy === 'render',
};
