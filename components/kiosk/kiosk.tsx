'use client';

import dynamic from 'next/dynamic';

// The kiosk keeps its device key in this browser's storage: render it in the browser only.
export const Kiosk = dynamic(() => import('./kiosk-app'), {
  ssr: false,
  loading: () => (
    <main id="main" className="flex min-h-dvh items-center justify-center bg-slate-900 text-xl text-white" role="status">
      Starting the locker screen…
    </main>
  ),
});
