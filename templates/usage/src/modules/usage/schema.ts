import { z } from '@hono/zod-openapi';

export const usageQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(30).openapi({ description: 'UTC days back, today included' }),
});

const metricTotal = z.object({ metric: z.string(), quantity: z.number().int() });

export const usageReportSchema = z
  .object({
    from: z.iso.datetime().openapi({ description: 'Start of the first UTC day reported' }),
    to: z.iso.datetime(),
    totals: z.array(metricTotal),
    daily: z.array(metricTotal.extend({ date: z.iso.date() })),
  })
  .openapi('UsageReport');
