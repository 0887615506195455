'use client';

import { useTranslations } from 'next-intl';
import dynamic from 'next/dynamic';

// The kiosk keeps its device key in this browser's storage: render it in the browser only.
export const Kiosk = dynamic(() => import('./kiosk-app'), {
  ssr: false,
  loading: () => <Starting />,
});

function Starting() {
  const t = useTranslations('kiosk');
  return (
    <main
      id="main"
      className="flex min-h-dvh items-center justify-center bg-slate-900 text-xl text-white"
      role="status"
    >
      {t('starting')}
    </main>
  );
}
