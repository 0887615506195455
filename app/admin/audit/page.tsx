import type { Metadata } from 'next';
import { getFormatter, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { DataTable, FILTER_FIELD, ListCount, paramValue } from '@/components/admin/page-parts';
import { Pager } from '@/components/admin/pager';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { db } from '@/db';
import { listAuditActions, listAuditLogs } from '@/db/queries/audit';
import { env } from '@/env';
import { AUDIT_RESOURCES } from '@/lib/admin/audit';
import { zonedDayEnd, zonedDayStart } from '@/lib/admin/zoned-day';
import { requireAdminPage } from '@/lib/auth/session';
import { auditFilterSchema } from '@/lib/validation/audit';
import { readFilters } from '@/lib/validation/form';
import { cx } from '@/lib/cx';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('adminOps.audit'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

type Json = Record<string, unknown>;

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin/audit');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(auditFilterSchema, raw);
  const zone = env().APP_TIME_ZONE;
  const filter = {
    action: f.action,
    resourceType: f.resource,
    user: f.user,
    // Days as the portal shows them: in the deployment's zone.
    from: f.from ? zonedDayStart(f.from, zone) : undefined,
    to: f.to ? zonedDayEnd(f.to, zone) : undefined,
    page: f.page,
    pageSize: PAGE_SIZE,
  };
  const [{ rows, total }, actions, t, tc, format] = await Promise.all([
    listAuditLogs(db, filter),
    listAuditActions(db),
    getTranslations('adminOps'),
    getTranslations('adminCommon'),
    getFormatter(),
  ]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const value = (k: string) => paramValue(raw, k);
  const known = (key: string, fallback: string) => (t.has(key) ? t(key) : fallback);
  const actionName = (action: string) => known(`audit.actions.${action}`, action);
  const fieldName = (key: string) => known(`audit.field.${key}`, key.replaceAll('_', ' '));
  /** A recorded value as the operator reads it: statuses and roles by name, instants in the portal's zone. */
  const shown = (key: string, v: unknown, resource: string): ReactNode => {
    if (v === null || v === undefined) return t('audit.unset');
    if (typeof v === 'boolean') return v ? t('audit.yes') : t('audit.no');
    if (typeof v === 'number') return format.number(v);
    if (typeof v === 'string') {
      if (key === 'status' && resource === 'order') return known(`orderStatus.${v}`, v);
      if (key === 'status') return known(`deliveryStatus.${v}`, v);
      if (key === 'role') return known(`role.${v}`, v);
      if (key === 'mode') return known(`audit.mode.${v}`, v);
      if (ISO_INSTANT.test(v)) return format.dateTime(new Date(v), 'dateTime');
      return v;
    }
    return <span className="font-mono text-xs break-all">{JSON.stringify(v)}</span>;
  };
  const changes = (before: Json | null, after: Json | null, resource: string) => {
    const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
    return keys.map((k) => {
      const had = before !== null && k in before;
      const has = after !== null && k in after;
      return (
        <li key={k}>
          <span className="text-slate-600">{fieldName(k)}:</span> {had ? shown(k, before[k], resource) : null}
          {had && has ? ' → ' : null}
          {has ? shown(k, after[k], resource) : null}
        </li>
      );
    });
  };

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">{t('audit.title')}</h1>
        <p className="mt-1 text-slate-700">{t('audit.intro')}</p>
      </div>
      <form
        action="/admin/audit"
        className={cx(
          'grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6',
          'lg:items-end',
        )}
      >
        <label className="text-sm font-medium">
          {t('audit.action')}
          <select name="action" defaultValue={value('action')} className={FILTER_FIELD}>
            <option value="">{tc('any')}</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {actionName(a)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          {t('audit.objectType')}
          <select name="resource" defaultValue={value('resource')} className={FILTER_FIELD}>
            <option value="">{tc('any')}</option>
            {Object.keys(AUDIT_RESOURCES).map((r) => (
              <option key={r} value={r}>
                {t(`audit.resource.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          {t('audit.adminEmail')}
          <input name="user" defaultValue={value('user')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          {tc('from')}
          <input type="date" name="from" defaultValue={value('from')} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          {tc('to')}
          <input type="date" name="to" defaultValue={value('to')} className={FILTER_FIELD} />
        </label>
        <Button type="submit">{tc('filter')}</Button>
      </form>
      {!valid ? <Alert>{tc('invalidFilters')}</Alert> : null}
      <ListCount total={total} count={t('audit.count', { count: total })} page={filter.page} pages={pages} />
      <DataTable
        label={t('audit.table')}
        columns={[
          t('audit.columns.when'),
          t('audit.columns.who'),
          t('audit.columns.action'),
          t('audit.columns.object'),
          t('audit.columns.changes'),
          t('audit.columns.from'),
        ]}
        empty={t('audit.empty')}
        count={rows.length}
      >
        {rows.map((r) => {
          const { reason, ...details } = r.details;
          return (
            <tr key={r.id} className="align-top">
              <td className="px-3 py-2 whitespace-nowrap">
                <time dateTime={r.timestamp.toISOString()}>
                  {format.dateTime(r.timestamp, 'date')}, {format.dateTime(r.timestamp, 'clock')}
                </time>
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{r.userEmail ?? r.userId ?? t('audit.system')}</td>
              <td className="px-3 py-2" data-action={r.action}>
                <Badge tone={r.success ? 'info' : 'danger'}>{actionName(r.action)}</Badge>
                {r.failureReason ? (
                  <span className="block text-xs text-red-700">{t('audit.failed', { reason: r.failureReason })}</span>
                ) : null}
              </td>
              <td className="px-3 py-2">
                {r.resourceType ? known(`audit.resource.${r.resourceType}`, r.resourceType) : '—'}
                <span className="block font-mono text-xs break-all text-slate-600">{r.resourceId}</span>
              </td>
              <td className="min-w-56 px-3 py-2 text-sm">
                <ul className="space-y-0.5">
                  {changes(r.before, r.after, r.resourceType ?? '')}
                  {changes(null, details, r.resourceType ?? '')}
                </ul>
                {typeof reason === 'string' ? (
                  <p className="mt-1 text-slate-800">{t('audit.reason', { reason })}</p>
                ) : null}
              </td>
              <td className="px-3 py-2 text-xs text-slate-600">
                {r.ipAddress ?? '—'}
                <span className="block max-w-48 truncate" title={r.userAgent ?? undefined}>
                  {r.userAgent ?? ''}
                </span>
              </td>
            </tr>
          );
        })}
      </DataTable>
      <Pager
        base="/admin/audit"
        params={raw}
        keys={['action', 'resource', 'user', 'from', 'to']}
        page={filter.page}
        pages={pages}
      />
    </div>
  );
}
