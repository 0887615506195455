import Link from 'next/link';

type Params = Record<string, string | string[] | undefined>;

/** A list page's URL with its current filters and another page number. */
export function pageHref(base: string, params: Params, keys: readonly string[], page: number): string {
  const q = new URLSearchParams();
  for (const k of keys) {
    const v = params[k];
    if (typeof v === 'string' && v) q.set(k, v);
  }
  q.set('page', String(page));
  return `${base}?${q}`;
}

export function Pager({ base, params, keys, page, pages, labels = ['Newer', 'Older'] }: { base: string; params: Params; keys: readonly string[]; page: number; pages: number; labels?: [string, string] }) {
  return (
    <nav aria-label="Pages" className="flex gap-3">
      {page > 1 ? (
        <Link href={pageHref(base, params, keys, page - 1)} className="font-semibold text-brand-700 underline">
          {labels[0]}
        </Link>
      ) : null}
      {page < pages ? (
        <Link href={pageHref(base, params, keys, page + 1)} className="font-semibold text-brand-700 underline">
          {labels[1]}
        </Link>
      ) : null}
    </nav>
  );
}
