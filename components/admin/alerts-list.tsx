'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useNow } from 'next-intl';
import { useActionState, useEffect } from 'react';
import { acknowledgeAlertAction } from '@/app/admin/alerts/actions';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { Badge } from '@/components/ui/badge';
import { submitTo } from '@/components/ui/use-form-action';
import type { ActionState } from '@/lib/actions';
import type { AlertJson, AlertsResponse } from '@/lib/admin/alerts';
import { plural } from '@/lib/admin/plural';
import { formatAge } from '@/lib/format-age';

export type { AlertJson, AlertsResponse };

export async function fetchAlerts(): Promise<AlertsResponse> {
  const res = await fetch('/api/admin/alerts', { cache: 'no-store' });
  if (!res.ok) throw new Error(res.status === 401 || res.status === 403 ? 'Your admin session has ended. Sign in again.' : `The server answered ${res.status}.`);
  return (await res.json()) as AlertsResponse;
}

/** The open-alert count for the map's header; refreshes with the list. */
export function AlertsBadge() {
  const { data } = useQuery({ queryKey: ['alerts'], queryFn: fetchAlerts, refetchInterval: 5000 });
  const n = data?.counts.total ?? 0;
  const critical = data?.counts.critical ?? 0;
  return (
    <Link href="/admin/alerts" className={`inline-flex items-center gap-2 rounded-lg px-3 py-2 text-sm font-semibold ${critical ? 'bg-red-700 text-white' : n ? 'bg-amber-100 text-amber-900' : 'bg-emerald-50 text-emerald-900'}`} data-testid="alerts-badge">
      Alerts <span className="rounded-full bg-white/90 px-2 text-slate-900">{n}</span>
      {critical ? <span className="sr-only">, {critical} critical</span> : null}
    </Link>
  );
}

function AcknowledgeForm({ alert }: { alert: AlertJson }) {
  const client = useQueryClient();
  const [state, action, pending] = useActionState<ActionState<{ acknowledgedAt: string }>, FormData>(acknowledgeAlertAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  const id = `ack-${alert.kind}-${alert.object_id}`;
  // Acknowledged (or cleared meanwhile): fetch the list now rather than at the next poll.
  useEffect(() => {
    if (state) void client.invalidateQueries({ queryKey: ['alerts'] });
  }, [state, client]);
  return (
    <details className="mt-3">
      <summary className="inline-flex min-h-10 cursor-pointer items-center rounded-lg border border-slate-300 bg-white px-4 text-sm font-semibold text-slate-900 hover:bg-slate-100">
        Acknowledge<span className="sr-only">: {alert.title}</span>
      </summary>
      <form onSubmit={submitTo(action)} noValidate className="mt-3 space-y-2">
        <input type="hidden" name="kind" value={alert.kind} />
        <input type="hidden" name="object_id" value={alert.object_id} />
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          Note: what is being done about it
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
        <FormResult state={state && !state.ok && errors.note ? null : state} failTitle="Not acknowledged" />
        <SubmitButton pending={pending} label="Acknowledge" busyLabel="Saving…" variant="secondary" />
      </form>
    </details>
  );
}

function AlertItem({ alert, now }: { alert: AlertJson; now: Date }) {
  const format = useFormatter();
  const ack = alert.acknowledgement;
  return (
    <li className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm" data-testid="alert">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <Link href={alert.href} className="font-semibold text-brand-700 underline">
            {alert.title}
          </Link>
          <p className="text-sm text-slate-700">{alert.detail}</p>
        </div>
        <p className="flex shrink-0 items-center gap-2 text-sm text-slate-600">
          {alert.since ? <span suppressHydrationWarning>{formatAge(new Date(alert.since), now)}</span> : null}
          <Badge tone={alert.severity === 'critical' ? 'danger' : 'warning'}>{alert.severity}</Badge>
        </p>
      </div>
      {ack ? (
        <p className="mt-3 rounded-lg bg-slate-50 p-3 text-sm text-slate-800">
          <span className="font-medium">Acknowledged</span> by {ack.by}, <time dateTime={ack.at}>{format.dateTime(new Date(ack.at), 'dateTime')}</time>: <q>{ack.note}</q>
        </p>
      ) : (
        <AcknowledgeForm alert={alert} />
      )}
    </li>
  );
}

export function AlertsList({ initial }: { initial: AlertsResponse }) {
  const format = useFormatter();
  // The initial list is as of the request's time, the same on the server and in the browser.
  const renderedAt = useNow();
  const { data, error, dataUpdatedAt } = useQuery({ queryKey: ['alerts'], queryFn: fetchAlerts, initialData: initial, initialDataUpdatedAt: renderedAt.getTime(), refetchInterval: 5000 });
  const now = new Date(dataUpdatedAt);
  const open = data.alerts.filter((a) => !a.acknowledgement);
  const acknowledged = data.alerts.filter((a) => a.acknowledgement);
  const closed = data.closed_lockers;
  return (
    <div className="space-y-8">
      <p className="text-sm text-slate-600" aria-live="off">
        {error ? (
          <span className="font-semibold text-red-700">{error.message} Retrying…</span>
        ) : (
          <>
            Live · <time dateTime={now.toISOString()}>{format.dateTime(now, 'clock')}</time> · {plural(data.counts.total, 'open alert', 'open alerts')}, {data.counts.critical} critical, {data.counts.acknowledged} acknowledged
          </>
        )}
      </p>
      <section aria-labelledby="open-h" className="space-y-3">
        <h2 id="open-h" className="text-lg font-semibold">
          Open <span className="font-normal text-slate-600">({open.length})</span>
        </h2>
        {open.length === 0 ? (
          <p className="rounded-xl border border-dashed border-emerald-300 bg-emerald-50 p-6 text-emerald-900">All clear: no open alerts right now.</p>
        ) : (
          <ul className="space-y-2" aria-label="Alerts">
            {open.map((a) => (
              <AlertItem key={`${a.kind}-${a.object_id}`} alert={a} now={now} />
            ))}
          </ul>
        )}
      </section>
      {acknowledged.length > 0 ? (
        <section aria-labelledby="acked-h" className="space-y-3">
          <h2 id="acked-h" className="text-lg font-semibold">
            Acknowledged <span className="font-normal text-slate-600">({acknowledged.length})</span>
          </h2>
          <p className="text-sm text-slate-600">Being handled. Each comes back as open if its condition changes and the problem returns.</p>
          <ul className="space-y-2" aria-label="Acknowledged alerts">
            {acknowledged.map((a) => (
              <AlertItem key={`${a.kind}-${a.object_id}`} alert={a} now={now} />
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="closed-h" className="space-y-3">
        <h2 id="closed-h" className="text-lg font-semibold">
          Closed lockers <span className="font-normal text-slate-600">({closed.length})</span>
        </h2>
        <p className="text-sm text-slate-600">Closed on purpose by an operator, or reported as not working by the locker itself. They take no new orders. Not an alert: reopen one from its page.</p>
        {closed.length === 0 ? (
          <p className="text-sm text-slate-700">Every locker is open.</p>
        ) : (
          <ul className="grid gap-2 sm:grid-cols-2" aria-label="Closed lockers">
            {closed.map((c) => (
              <li key={c.id} className="flex items-center justify-between gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
                <Link href={c.href} className="font-medium text-brand-700 underline">
                  {c.address}, {c.city}
                </Link>
                <Badge tone="neutral">closed</Badge>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
