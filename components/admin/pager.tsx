import { PageLink } from '@/components/ui/page-link';
import { useTranslations } from 'next-intl';

type Params = Record<string, string | string[] | undefined>;

/** A list page's URL with its current filters and another page number. */
export function pageHref(
  base: string,
  { params, keys, page }: { params: Params; keys: readonly string[]; page: number },
): string {
  const q = new URLSearchParams();
  for (const k of keys) {
    const v = params[k];
    if (typeof v === 'string' && v) q.set(k, v);
  }
  q.set('page', String(page));
  return `${base}?${q}`;
}

/** Links to the previous and next page; `labels` default to "Newer" and "Older" in the page's language. */
export function Pager({
  base,
  params,
  keys,
  page,
  pages,
  labels,
}: {
  base: string;
  params: Params;
  keys: readonly string[];
  page: number;
  pages: number;
  labels?: [string, string];
}) {
  const t = useTranslations('adminCommon');
  const [prev, next] = labels ?? [t('newer'), t('older')];
  return (
    <nav aria-label={t('pages')} className="flex gap-3">
      {page > 1 ? (
        <PageLink
          href={pageHref(base, { params, keys, page: page - 1 })}
          className="font-semibold text-brand-700 underline"
        >
          {prev}
        </PageLink>
      ) : null}
      {page < pages ? (
        <PageLink
          href={pageHref(base, { params, keys, page: page + 1 })}
          className="font-semibold text-brand-700 underline"
        >
          {next}
        </PageLink>
      ) : null}
    </nav>
  );
}
