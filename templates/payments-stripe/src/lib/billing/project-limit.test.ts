import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBillingTest } from '../../../test/billing.js';
import { skipReason } from '../../../test/helpers.js';
import { projectsClient } from '../../../test/projects.js';

describe.skipIf(skipReason)('the projects limit of a plan', () => {
  let b: Awaited<ReturnType<typeof createBillingTest>>;
  beforeAll(async () => {
    b = await createBillingTest();
  });
  afterAll(() => b.close());

  const client = async () => projectsClient(b.t.app, await b.caller());

  it('refuses a fourth project on free with 402 naming pro, and lets one in again after a delete', async () => {
    const user = await client();
    const ids = [await user.create('one'), await user.create('two'), await user.create('three')];
    const refused = await user.call('/projects', 'POST', { name: 'four' });
    expect(refused.status).toBe(402);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({
      status: 402,
      plan: 'pro',
      limit: 'projects',
      allowed: 3,
      detail: 'The Free plan allows 3 projects; Pro allows more',
    });
    expect((await user.list('limit=100')).items).toHaveLength(3);

    expect((await user.call(`/projects/${ids[0]}`, 'DELETE')).status).toBe(204);
    expect((await user.call('/projects', 'POST', { name: 'four' })).status).toBe(201);
    // Restoring brings a project back, so it counts like a new one.
    expect((await user.call(`/projects/${ids[0]}/restore`, 'POST')).status).toBe(402);
  });

  it('counts only what was made: a bad body, a failed restore and reads take nothing', async () => {
    const user = await client();
    expect((await user.call('/projects', 'POST', { name: '' })).status).toBe(400);
    expect((await user.call('/projects/00000000-0000-4000-8000-000000000000/restore', 'POST')).status).toBe(404);
    expect((await user.call('/projects/00000000-0000-4000-8000-000000000000', 'DELETE')).status).toBe(404);
    await user.list('limit=10');
    for (const name of ['a', 'b', 'c']) expect((await user.call('/projects', 'POST', { name })).status).toBe(201);
    expect((await user.call('/projects', 'POST', { name: 'd' })).status).toBe(402);
  });

  it('lets exactly the limit through when creates race', async () => {
    const user = await client();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => user.call('/projects', 'POST', { name: `p${i}` })),
    );
    expect(answers.filter((r) => r.status === 201)).toHaveLength(3);
    expect(answers.filter((r) => r.status === 402)).toHaveLength(7);
    expect((await user.list('limit=100')).items).toHaveLength(3);
  });

  it('raises the limit with the plan: pro allows more as soon as its webhook arrives', async () => {
    const headers = await b.caller();
    const user = projectsClient(b.t.app, headers);
    for (const name of ['a', 'b', 'c']) await user.create(name);
    expect((await user.call('/projects', 'POST', { name: 'd' })).status).toBe(402);
    const { events } = await b.checkout(headers);
    for (const event of events) await b.deliver(event);
    await b.settle();
    expect((await user.call('/projects', 'POST', { name: 'd' })).status).toBe(201);
  });

  it('still asks for a token first', async () => {
    const anonymous = projectsClient(b.t.app, {});
    expect((await anonymous.call('/projects', 'POST', { name: 'x' })).status).toBe(401);
  });
});
