'use client';

import { useTranslations } from 'next-intl';
import { useMemo } from 'react';
import type { NoticeText } from './base-layer';

// Its own module, without Leaflet: the fleet console reads it before its map chunk loads.

/** The offline map notice's words in the page's language, stable across renders. */
export function useNoticeText(): NoticeText {
  const t = useTranslations('map.notice');
  return useMemo(() => ({ title: t('title'), details: t('details'), hide: t('hide'), why: t('why') }), [t]);
}
