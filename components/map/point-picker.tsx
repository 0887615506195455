'use client';

import dynamic from 'next/dynamic';

// Leaflet touches `window` on import: load it only in the browser.
export const PointPicker = dynamic(() => import('./point-picker-client'), {
  ssr: false,
  loading: () => (
    <div className="flex h-full w-full items-center justify-center bg-slate-100 text-sm text-slate-600" role="status">
      Loading map…
    </div>
  ),
});
