import { PageLink } from '@/components/ui/page-link';
import { useTranslations } from 'next-intl';
import type { ReactNode } from 'react';
import { cx } from '@/lib/cx';

// The pieces every admin page is built from, so lists, cards and breadcrumbs look and read
// the same everywhere.

export function Breadcrumb({ parent, current }: { parent: { href: string; label: string }; current: ReactNode }) {
  const t = useTranslations('adminCommon');
  return (
    <nav aria-label={t('breadcrumb')} className="text-sm text-slate-600">
      <PageLink href={parent.href} className="hover:underline">
        {parent.label}
      </PageLink>{' '}
      / {current}
    </nav>
  );
}

/** A titled card; `danger` for destructive actions. */
export function Panel({
  id,
  title,
  danger,
  className = '',
  children,
}: {
  id: string;
  title: ReactNode;
  danger?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section
      aria-labelledby={id}
      className={cx(
        'rounded-xl border bg-white p-4 shadow-sm',
        danger ? 'border-red-200' : 'border-slate-200',
        className,
      )}
    >
      <h2 id={id} className={`font-semibold ${danger ? 'text-red-800' : ''}`}>
        {title}
      </h2>
      <div className="mt-3">{children}</div>
    </section>
  );
}

/** A scrollable, labelled table with a header row and a message when there are no rows. */
export function DataTable({
  label,
  columns,
  empty,
  count,
  bare,
  children,
}: {
  label: string;
  columns: string[];
  empty: string;
  count: number;
  bare?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={`overflow-x-auto ${bare ? '' : 'rounded-xl border border-slate-200 bg-white shadow-sm'}`}>
      <table className="min-w-full text-left text-sm" aria-label={label}>
        <thead className="bg-slate-50 text-slate-700">
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className="px-3 py-2">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {count === 0 ? (
            <tr>
              <td colSpan={columns.length} className="px-3 py-6 text-center text-slate-600">
                {empty}
              </td>
            </tr>
          ) : null}
          {children}
        </tbody>
      </table>
    </div>
  );
}

/** Class of the inputs in a list page's filter bar. */
export const FILTER_FIELD = 'block min-h-10 w-full rounded-lg border border-slate-300 bg-white px-2 text-sm';

/** A search param as the filter bar's default value. */
export const paramValue = (raw: Record<string, string | string[] | undefined>, k: string) =>
  typeof raw[k] === 'string' ? (raw[k] as string) : '';

/**
 * "3 drones · page 1 of 2". `count` is the translated count with its noun in the right plural
 * ("3 drones", "3 дрона"); `noun` is the older English-only way, kept for existing callers.
 */
export function ListCount({
  total,
  noun,
  count,
  page,
  pages,
}: {
  total: number;
  noun?: [string, string];
  count?: ReactNode;
  page: number;
  pages: number;
}) {
  const t = useTranslations('adminCommon');
  const counted = count ?? (noun ? `${total} ${total === 1 ? noun[0] : noun[1]}` : t('listCount', { total }));
  return (
    <p className="text-sm text-slate-600">
      {counted} · {t('pageOf', { page, pages })}
    </p>
  );
}

/** A figure in a <dl> of figures: label, value, and an optional line under it. */
export function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: ReactNode;
  hint?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-bold text-slate-900" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="mt-1 text-xs text-slate-600">{hint}</dd> : null}
    </div>
  );
}
