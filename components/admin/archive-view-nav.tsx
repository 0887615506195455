import { PageLink } from '@/components/ui/page-link';
import { useTranslations } from 'next-intl';
import { ARCHIVE_VIEWS, type ArchiveView } from '@/lib/validation/fleet';
import { cx } from '@/lib/cx';

/** The filter of a list that holds archived rows: in service (default), archived, or all. */
export function ArchiveViewNav({ base, current, label }: { base: string; current: ArchiveView; label: string }) {
  const t = useTranslations('adminCommon.archiveView');
  return (
    <nav
      aria-label={label}
      className="flex w-fit flex-wrap gap-1 rounded-lg border border-slate-200 bg-white p-1 shadow-sm"
    >
      {ARCHIVE_VIEWS.map((v) => (
        <PageLink
          key={v}
          href={v === 'active' ? base : `${base}?show=${v}`}
          aria-current={v === current ? 'page' : undefined}
          className={cx(
            'rounded-md px-3 py-2 text-sm font-medium',
            v === current ? 'bg-brand-700 text-white' : 'text-brand-700 hover:bg-brand-50',
          )}
        >
          {t(v)}
        </PageLink>
      ))}
    </nav>
  );
}
