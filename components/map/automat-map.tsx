'use client';

import dynamic from 'next/dynamic';
import { MapLoading } from './map-loading';

// Leaflet touches `window` on import: load it only in the browser.
export const AutomatMap = dynamic(() => import('./automat-map-client'), {
  ssr: false,
  loading: () => <MapLoading />,
});
