import Link from 'next/link';
import type { ArchiveView } from '@/lib/validation/fleet';

const LABELS: Record<ArchiveView, string> = { active: 'In service', archived: 'Archived', all: 'All' };

/** The filter of a list that holds archived rows: in service (default), archived, or all. */
export function ArchiveViewNav({ base, current, label }: { base: string; current: ArchiveView; label: string }) {
  return (
    <nav aria-label={label} className="flex w-fit flex-wrap gap-1 rounded-lg border border-slate-200 bg-white p-1 shadow-sm">
      {(Object.keys(LABELS) as ArchiveView[]).map((v) => (
        <Link
          key={v}
          href={v === 'active' ? base : `${base}?show=${v}`}
          aria-current={v === current ? 'page' : undefined}
          className={`rounded-md px-3 py-2 text-sm font-medium ${v === current ? 'bg-brand-700 text-white' : 'text-brand-700 hover:bg-brand-50'}`}
        >
          {LABELS[v]}
        </Link>
      ))}
    </nav>
  );
}
