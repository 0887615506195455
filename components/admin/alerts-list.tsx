'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useFormatter, useNow } from 'next-intl';
import { Badge } from '@/components/ui/badge';
import { formatAge } from '@/lib/format-age';

export type AlertJson = { kind: string; severity: 'warning' | 'critical'; object_type: string; object_id: string; title: string; detail: string; since: string | null; href: string };
export type AlertsResponse = { alerts: AlertJson[]; counts: { total: number; critical: number } };

export async function fetchAlerts(): Promise<AlertsResponse> {
  const res = await fetch('/api/admin/alerts', { cache: 'no-store' });
  if (!res.ok) throw new Error(res.status === 401 || res.status === 403 ? 'Your admin session has ended. Sign in again.' : `The server answered ${res.status}.`);
  return (await res.json()) as AlertsResponse;
}

/** The alert count for the map's header; refreshes with the list. */
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

export function AlertsList({ initial }: { initial: AlertsResponse }) {
  const format = useFormatter();
  // The initial list is as of the request's time, the same on the server and in the browser.
  const renderedAt = useNow();
  const { data, error, dataUpdatedAt } = useQuery({ queryKey: ['alerts'], queryFn: fetchAlerts, initialData: initial, initialDataUpdatedAt: renderedAt.getTime(), refetchInterval: 5000 });
  const now = new Date(dataUpdatedAt);
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600" aria-live="off">
        {error ? <span className="font-semibold text-red-700">{error.message} Retrying…</span> : `Live · ${format.dateTime(now, 'clock')} · ${data.counts.total} alerts, ${data.counts.critical} critical`}
      </p>
      {data.alerts.length === 0 ? (
        <p className="rounded-xl border border-dashed border-emerald-300 bg-emerald-50 p-6 text-emerald-900">All clear: no alerts right now.</p>
      ) : (
        <ul className="space-y-2" aria-label="Alerts">
          {data.alerts.map((a) => (
            <li key={`${a.kind}-${a.object_id}`}>
              <Link href={a.href} className="flex flex-col gap-1 rounded-xl border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-500 sm:flex-row sm:items-center sm:justify-between">
                <span>
                  <span className="block font-semibold">{a.title}</span>
                  <span className="block text-sm text-slate-700">{a.detail}</span>
                </span>
                <span className="flex items-center gap-2 text-sm text-slate-600">
                  {a.since ? formatAge(new Date(a.since), now) : ''}
                  <Badge tone={a.severity === 'critical' ? 'danger' : 'warning'}>{a.severity}</Badge>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
