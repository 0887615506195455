import { getTranslations } from 'next-intl/server';
import { db } from '@/db';
import { countDrones, listAutomatSummaries } from '@/db/queries/network';
import { Badge } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { getCurrentUser } from '@/lib/auth/session';
import { pickupCellMetric } from '@/lib/cell-metric';
import { cx } from '@/lib/cx';
import { fleetRules } from '@/lib/fleet-rules';

export const dynamic = 'force-dynamic';

const STEPS = ['choose', 'locker', 'collect'] as const;

export default async function HomePage() {
  const [automats, fleet, user, t] = await Promise.all([
    listAutomatSummaries(db),
    countDrones(db, { lowBatteryAt: fleetRules().lowBattery }),
    getCurrentUser(),
    getTranslations('home'),
  ]);
  const working = automats.filter((a) => a.isWorking);
  const cities = [...new Set(working.map((a) => a.city))];
  // The one cell metric (lib/cell-metric.ts): free pickup cells, at the lockers that are open.
  const freeCells = working.reduce((n, a) => n + pickupCellMetric(a).free, 0);

  return (
    <>
      <section className="bg-gradient-to-b from-brand-900 to-brand-700 text-white">
        <div className="mx-auto grid max-w-6xl gap-10 px-4 py-14 sm:py-20 lg:grid-cols-[3fr_2fr] lg:items-center">
          <div>
            <p className="text-sm font-semibold tracking-wide text-brand-100 uppercase">
              {cities.length ? t('kickerIn', { cities: cities.join(', ') }) : t('kicker')}
            </p>
            <h1 className="mt-3 text-4xl font-bold tracking-tight sm:text-5xl">{t('title')}</h1>
            <p className="mt-5 max-w-xl text-lg text-brand-50">{t('intro')}</p>
            <div className="mt-8 flex flex-wrap gap-3">
              <ButtonLink href="/catalog" size="lg" variant="light">
                {t('browse')}
              </ButtonLink>
              {user ? null : (
                <ButtonLink href="/signin" size="lg" variant="inverse">
                  {t('signIn')}
                </ButtonLink>
              )}
            </div>
          </div>
          <dl className="grid grid-cols-3 gap-3 text-center lg:grid-cols-1 lg:text-left">
            {[
              { label: t('stats.lockers'), value: working.length },
              { label: t('stats.freeCells'), value: freeCells },
              { label: t('stats.drones'), value: fleet.total },
            ].map((s) => (
              <div key={s.label} className="rounded-xl bg-white/10 px-4 py-4 ring-1 ring-white/20">
                <dt className="text-xs font-medium text-brand-100 sm:text-sm">{s.label}</dt>
                <dd className="mt-1 text-2xl font-bold sm:text-3xl">{s.value}</dd>
              </div>
            ))}
          </dl>
        </div>
      </section>

      <section aria-labelledby="how" className="mx-auto max-w-6xl px-4 py-14">
        <h2 id="how" className="text-2xl font-bold tracking-tight">
          {t('how.title')}
        </h2>
        <ol className="mt-6 grid gap-4 md:grid-cols-3">
          {STEPS.map((s, i) => (
            <li key={s} className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
              <span
                aria-hidden="true"
                className="flex h-9 w-9 items-center justify-center rounded-full bg-brand-100 font-bold text-brand-800"
              >
                {i + 1}
              </span>
              <h3 className="mt-3 text-lg font-semibold">{t(`how.${s}Title`)}</h3>
              <p className="mt-1 text-slate-700">{t(`how.${s}Text`)}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="lockers" className="mx-auto max-w-6xl px-4">
        <h2 id="lockers" className="text-2xl font-bold tracking-tight">
          {t('lockers.title')}
        </h2>
        {automats.length === 0 ? (
          <p className="mt-4 text-slate-700">{t('lockers.none')}</p>
        ) : (
          <ul className="mt-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            {automats.map((a) => (
              <li
                key={a.id}
                className={cx(
                  'flex items-start justify-between gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm',
                )}
              >
                <div>
                  <p className="font-semibold">{a.address}</p>
                  <p className="text-sm text-slate-600">{a.city}</p>
                </div>
                {a.isWorking ? (
                  <Badge tone={a.availableExternalCells > 0 ? 'success' : 'warning'}>
                    {a.availableExternalCells > 0
                      ? t('lockers.freeCells', { count: a.availableExternalCells })
                      : t('lockers.full')}
                  </Badge>
                ) : (
                  <Badge tone="neutral">{t('lockers.closed')}</Badge>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
