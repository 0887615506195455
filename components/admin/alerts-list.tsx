'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { PageLink } from '@/components/ui/page-link';
import { useFormatter, useNow, useTranslations } from 'next-intl';
import { useActionState, useEffect } from 'react';
import { acknowledgeAlertAction } from '@/app/admin/alerts/actions';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { Badge } from '@/components/ui/badge';
import { submitTo } from '@/components/ui/use-form-action';
import type { ActionState } from '@/lib/actions';
import type { AlertJson, AlertsResponse } from '@/lib/admin/alerts';
import { cx } from '@/lib/cx';

export type { AlertJson, AlertsResponse };

/** A request the server answered with an error status: the page words it in its language. */
export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'HttpError';
  }
}

export async function fetchAlerts(): Promise<AlertsResponse> {
  const res = await fetch('/api/admin/alerts', { cache: 'no-store' });
  if (!res.ok) throw new HttpError(res.status);
  return (await res.json()) as AlertsResponse;
}

/** The open-alert count for the map's header; refreshes with the list. */
export function AlertsBadge() {
  const t = useTranslations('adminFleet.alerts');
  const { data } = useQuery({ queryKey: ['alerts'], queryFn: fetchAlerts, refetchInterval: 5000 });
  const n = data?.counts.total ?? 0;
  const critical = data?.counts.critical ?? 0;
  return (
    <PageLink
      href="/admin/alerts"
      className={cx(
        'inline-flex min-h-10 items-center gap-2 rounded-lg px-3 py-2 text-sm font-semibold',
        critical ? 'bg-red-700 text-white' : n ? 'bg-amber-100 text-amber-900' : 'bg-emerald-50 text-emerald-900',
      )}
      data-testid="alerts-badge"
    >
      {t('badge')} <span className="rounded-full bg-white/90 px-2 text-slate-900">{n}</span>
      {critical ? <span className="sr-only">{t('badgeCritical', { count: critical })}</span> : null}
    </PageLink>
  );
}

/** An alert's title and detail in the page's language, from its kind, label and value. */
function useAlertText(thresholds: AlertsResponse['thresholds']) {
  const t = useTranslations('adminFleet.alerts.kinds');
  return (a: AlertJson): { title: string; detail: string } => {
    const title = t(`${a.kind}.title`, { label: a.label });
    switch (a.kind) {
      case 'low_battery':
        return {
          title,
          detail: t('low_battery.detail', { level: Math.round(Number(a.value)), threshold: thresholds.low_battery }),
        };
      case 'drone_offline':
        return { title, detail: t(a.since ? 'drone_offline.detail' : 'drone_offline.never') };
      case 'delivery_stuck':
        return {
          title,
          detail: t(a.value === 'assigned' ? 'delivery_stuck.assigned' : 'delivery_stuck.flying', {
            minutes: thresholds.stuck_delivery_min,
          }),
        };
      case 'automat_silent':
        return {
          title,
          detail: a.since
            ? t('automat_silent.detail', { minutes: thresholds.automat_silent_min })
            : t('automat_silent.never'),
        };
      case 'order_pending':
        return { title, detail: t('order_pending.detail', { minutes: thresholds.pending_order_min }) };
      default:
        return { title: a.title, detail: a.detail };
    }
  };
}

function AcknowledgeForm({ alert, title }: { alert: AlertJson; title: string }) {
  const t = useTranslations('adminFleet.alerts');
  const client = useQueryClient();
  const [state, action, pending] = useActionState<ActionState<{ acknowledgedAt: string }>, FormData>(
    acknowledgeAlertAction,
    null,
  );
  const errors = state && !state.ok ? state.fieldErrors : {};
  const id = `ack-${alert.kind}-${alert.object_id}`;
  // Acknowledged (or cleared meanwhile): fetch the list now rather than at the next poll.
  useEffect(() => {
    if (state) void client.invalidateQueries({ queryKey: ['alerts'] });
  }, [state, client]);
  return (
    <details className="mt-3">
      <summary
        className={cx(
          'inline-flex min-h-10 cursor-pointer items-center rounded-lg border',
          'border-slate-300 bg-white px-4 text-sm font-semibold text-slate-900',
          'hover:bg-slate-100',
        )}
      >
        {t('acknowledge')}
        <span className="sr-only">: {title}</span>
      </summary>
      <form onSubmit={submitTo(action)} noValidate className="mt-3 space-y-2">
        <input type="hidden" name="kind" value={alert.kind} />
        <input type="hidden" name="object_id" value={alert.object_id} />
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          {t('note')}
        </label>
        <textarea
          id={id}
          name="note"
          rows={2}
          maxLength={500}
          required
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={errors.note ? `${id}-error` : undefined}
          className="block w-full rounded-lg border border-slate-300 px-3 py-2 text-sm"
        />
        {errors.note ? (
          <p id={`${id}-error`} className="text-sm font-medium text-red-700">
            {errors.note}
          </p>
        ) : null}
        <FormResult state={state && !state.ok && errors.note ? null : state} failTitle={t('notAcknowledged')} />
        <SubmitButton pending={pending} label={t('acknowledge')} busyLabel={t('saving')} variant="secondary" />
      </form>
    </details>
  );
}

function AlertItem({ alert, now, text }: { alert: AlertJson; now: Date; text: { title: string; detail: string } }) {
  const format = useFormatter();
  const t = useTranslations('adminFleet.alerts');
  const ack = alert.acknowledgement;
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="alert">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <PageLink href={alert.href} className="font-semibold break-words text-brand-700 underline">
            {text.title}
          </PageLink>
          <p className="text-sm text-slate-700">{text.detail}</p>
        </div>
        <p className="flex shrink-0 items-center gap-2 text-sm text-slate-600">
          {alert.since ? <time dateTime={alert.since}>{format.relativeTime(new Date(alert.since), now)}</time> : null}
          <Badge tone={alert.severity === 'critical' ? 'danger' : 'warning'}>{t(`severity.${alert.severity}`)}</Badge>
        </p>
      </div>
      {ack ? (
        <p className="mt-3 rounded-lg bg-slate-50 p-3 text-sm text-slate-800">
          {t.rich('acknowledged', {
            by: ack.by,
            at: format.dateTime(new Date(ack.at), 'dateTime'),
            note: ack.note,
            strong: (chunks) => <span className="font-medium">{chunks}</span>,
            q: (chunks) => <q>{chunks}</q>,
          })}
        </p>
      ) : (
        <AcknowledgeForm alert={alert} title={text.title} />
      )}
    </li>
  );
}

export function AlertsList({ initial }: { initial: AlertsResponse }) {
  const format = useFormatter();
  const t = useTranslations('adminFleet');
  // The initial list is as of the request's time, the same on the server and in the browser.
  const renderedAt = useNow();
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: ['alerts'],
    queryFn: fetchAlerts,
    initialData: initial,
    initialDataUpdatedAt: renderedAt.getTime(),
    refetchInterval: 5000,
  });
  const now = new Date(dataUpdatedAt);
  const words = useAlertText(data.thresholds ?? initial.thresholds);
  const open = data.alerts.filter((a) => !a.acknowledgement);
  const acknowledged = data.alerts.filter((a) => a.acknowledgement);
  const closed = data.closed_lockers;
  const errorText = (e: Error) =>
    e instanceof HttpError
      ? e.status === 401 || e.status === 403
        ? t('errors.session')
        : t('errors.server', { status: e.status })
      : t('errors.network');
  return (
    <div className="space-y-8">
      <p className="text-sm text-slate-600" aria-live="off">
        {error ? (
          <span className="font-semibold text-red-700">{t('console.retrying', { message: errorText(error) })}</span>
        ) : (
          <>
            {t('alerts.live', {
              time: format.dateTime(now, 'clock'),
              open: data.counts.total,
              critical: data.counts.critical,
              acknowledged: data.counts.acknowledged,
            })}
          </>
        )}
      </p>
      <section aria-labelledby="open-h" className="space-y-3">
        <h2 id="open-h" className="text-lg font-semibold">
          {t('alerts.open')} <span className="font-normal text-slate-600">({open.length})</span>
        </h2>
        {open.length === 0 ? (
          <p className="rounded-xl border border-dashed border-emerald-300 bg-emerald-50 p-6 text-emerald-900">
            {t('alerts.allClear')}
          </p>
        ) : (
          <ul className="space-y-2" aria-label={t('alerts.openList')}>
            {open.map((a) => (
              <AlertItem key={`${a.kind}-${a.object_id}`} alert={a} now={now} text={words(a)} />
            ))}
          </ul>
        )}
      </section>
      {acknowledged.length > 0 ? (
        <section aria-labelledby="acked-h" className="space-y-3">
          <h2 id="acked-h" className="text-lg font-semibold">
            {t('alerts.acknowledgedTitle')} <span className="font-normal text-slate-600">({acknowledged.length})</span>
          </h2>
          <p className="text-sm text-slate-600">{t('alerts.acknowledgedHint')}</p>
          <ul className="space-y-2" aria-label={t('alerts.acknowledgedList')}>
            {acknowledged.map((a) => (
              <AlertItem key={`${a.kind}-${a.object_id}`} alert={a} now={now} text={words(a)} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="closed-h" className="space-y-3">
        <h2 id="closed-h" className="text-lg font-semibold">
          {t('alerts.closedTitle')} <span className="font-normal text-slate-600">({closed.length})</span>
        </h2>
        <p className="text-sm text-slate-600">{t('alerts.closedHint')}</p>
        {closed.length === 0 ? (
          <p className="text-sm text-slate-700">{t('alerts.allOpen')}</p>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2" aria-label={t('alerts.closedList')}>
            {closed.map((c) => (
              <li
                key={c.id}
                className={cx(
                  'flex items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm',
                )}
              >
                <PageLink href={c.href} className="font-medium text-brand-700 underline">
                  {c.address}, {c.city}
                </PageLink>
                <Badge tone="neutral">{t('automatStates.closed')}</Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
