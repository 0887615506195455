'use client';

import { useFormatter, useNow, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** Re-renders the server page every few seconds while the tab is visible. */
export function AutoRefresh({ intervalMs }: { intervalMs: number }) {
  const router = useRouter();
  const format = useFormatter();
  const t = useTranslations('site');
  // The request's time (from the provider) on the server and in the first browser render alike.
  const renderedAt = useNow();
  const [updatedAt, setUpdatedAt] = useState(renderedAt);
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState !== 'visible') return;
      router.refresh();
      setUpdatedAt(new Date());
    };
    const id = window.setInterval(tick, intervalMs);
    document.addEventListener('visibilitychange', tick);
    return () => {
      window.clearInterval(id);
      document.removeEventListener('visibilitychange', tick);
    };
  }, [router, intervalMs]);
  return (
    <p className="text-xs text-slate-600" aria-live="off">
      {t('liveUpdated', { time: format.dateTime(updatedAt, 'clock') })}
    </p>
  );
}
