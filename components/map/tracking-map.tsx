'use client';

import dynamic from 'next/dynamic';

export const TrackingMap = dynamic(() => import('./tracking-map-client'), {
  ssr: false,
  loading: () => (
    <div className="flex h-full w-full items-center justify-center bg-slate-100 text-sm text-slate-600" role="status">
      Loading map…
    </div>
  ),
});
