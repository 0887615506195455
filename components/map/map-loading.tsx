'use client';

import { useTranslations } from 'next-intl';

/** What a map shows while Leaflet and its chunk load. */
export function MapLoading() {
  const t = useTranslations('map');
  return (
    <div className="flex h-full w-full items-center justify-center bg-slate-100 text-sm text-slate-600" role="status">
      {t('loading')}
    </div>
  );
}
