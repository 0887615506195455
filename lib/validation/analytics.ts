import { z } from '@/lib/validation/zod';

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v) || undefined;

/** The periods the analytics page offers, in days (today, in UTC, counts as the last one). */
export const ANALYTICS_PERIODS = [7, 30, 90] as const;
export type AnalyticsPeriod = (typeof ANALYTICS_PERIODS)[number];
export const DEFAULT_ANALYTICS_PERIOD: AnalyticsPeriod = 30;

export const analyticsFilterSchema = z.object({
  days: z.preprocess(first, z.coerce.number().pipe(z.literal(ANALYTICS_PERIODS)).default(DEFAULT_ANALYTICS_PERIOD)),
});
