import type { TestApp } from './helpers.js';

export type ProjectPage = {
  items: { id: string; name: string; deletedAt: string | null }[];
  nextCursor: string | null;
};

/** /api/v1/projects as one caller (their headers, from test/scope.ts). */
export const projectsClient = (app: TestApp['app'], caller: Record<string, string>) => {
  const call = (path: string, method = 'GET', body?: unknown) =>
    app.request(`/api/v1${path}`, {
      method,
      headers: { ...caller, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    call,
    create: async (name: string) => ((await (await call('/projects', 'POST', { name })).json()) as { id: string }).id,
    list: async (query: string) => (await (await call(`/projects?${query}`)).json()) as ProjectPage,
  };
};
