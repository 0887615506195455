import type { Metadata } from 'next';
import { readFilters } from '@/lib/validation/form';
import { DataTable, FILTER_FIELD } from '@/components/admin/page-parts';
import { Pager } from '@/components/admin/pager';
import { db } from '@/db';
import { listAuditActions, listAuditLogs } from '@/db/queries/audit';
import { Alert } from '@/components/ui/alert';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { AUDIT_RESOURCES } from '@/lib/admin/audit';
import { requireAdminPage } from '@/lib/auth/session';
import { auditFilterSchema } from '@/lib/validation/audit';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

const PAGE_SIZE = 50;

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminPage('/admin/audit');
  const raw = await searchParams;
  const { filters: f, valid } = readFilters(auditFilterSchema, raw);
  const filter = {
    action: 'action' in f ? f.action : undefined,
    resourceType: 'resource' in f ? f.resource : undefined,
    user: 'user' in f ? f.user : undefined,
    from: 'from' in f && f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
    to: 'to' in f && f.to ? new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    page: f.page,
    pageSize: PAGE_SIZE,
  };
  const [{ rows, total }, actions] = await Promise.all([listAuditLogs(db, filter), listAuditActions(db)]);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold tracking-tight">Audit log</h1>
        <p className="mt-1 text-slate-700">Every admin action: who, what, on which object, before and after, from where. Entries can never be changed or removed.</p>
      </div>
      <form action="/admin/audit" className="grid gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <label className="text-sm font-medium">
          Action
          <select name="action" defaultValue={typeof raw.action === 'string' ? raw.action : ''} className={FILTER_FIELD}>
            <option value="">Any</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Object type
          <select name="resource" defaultValue={typeof raw.resource === 'string' ? raw.resource : ''} className={FILTER_FIELD}>
            <option value="">Any</option>
            {Object.entries(AUDIT_RESOURCES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Admin email
          <input name="user" defaultValue={typeof raw.user === 'string' ? raw.user : ''} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          From
          <input type="date" name="from" defaultValue={typeof raw.from === 'string' ? raw.from : ''} className={FILTER_FIELD} />
        </label>
        <label className="text-sm font-medium">
          To
          <input type="date" name="to" defaultValue={typeof raw.to === 'string' ? raw.to : ''} className={FILTER_FIELD} />
        </label>
        <Button type="submit">Filter</Button>
      </form>
      {!valid ? <Alert>Some filters were not valid and were ignored. Dates use YYYY-MM-DD.</Alert> : null}
      <p className="text-sm text-slate-600">
        {total} {total === 1 ? 'entry' : 'entries'} · page {filter.page} of {pages}
      </p>
      <DataTable label="Audit entries" columns={['When (UTC)', 'Who', 'Action', 'Object', 'Before → after', 'From']} empty="No entries match these filters." count={rows.length}>
            {rows.map((r) => (
              <tr key={r.id} className="align-top">
                <td className="px-3 py-2 whitespace-nowrap">{r.timestamp.toISOString().replace('T', ' ').slice(0, 19)}</td>
                <td className="px-3 py-2">{r.userEmail ?? r.userId ?? 'system'}</td>
                <td className="px-3 py-2">
                  <Badge tone={r.success ? 'info' : 'danger'}>{r.action}</Badge>
                  {r.failureReason ? <span className="block text-xs text-red-700">{r.failureReason}</span> : null}
                </td>
                <td className="px-3 py-2">
                  {r.resourceType}
                  <span className="block font-mono text-xs text-slate-600">{r.resourceId}</span>
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {r.before ? JSON.stringify(r.before) : '—'} → {r.after ? JSON.stringify(r.after) : '—'}
                  {typeof r.details.reason === 'string' ? <span className="mt-1 block font-sans text-sm text-slate-800">Reason: {r.details.reason}</span> : null}
                  {Object.keys(r.details).some((k) => k !== 'reason') ? (
                    <span className="mt-1 block text-slate-600">{JSON.stringify(Object.fromEntries(Object.entries(r.details).filter(([k]) => k !== 'reason')))}</span>
                  ) : null}
                </td>
                <td className="px-3 py-2 text-xs text-slate-600">
                  {r.ipAddress ?? '—'}
                  <span className="block max-w-48 truncate" title={r.userAgent ?? undefined}>
                    {r.userAgent ?? ''}
                  </span>
                </td>
              </tr>
            ))}
      </DataTable>
      <Pager base="/admin/audit" params={raw} keys={['action', 'resource', 'user', 'from', 'to']} page={filter.page} pages={pages} />
    </div>
  );
}
