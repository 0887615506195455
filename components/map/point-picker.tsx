'use client';

import dynamic from 'next/dynamic';
import { MapLoading } from './map-loading';

// Leaflet touches `window` on import: load it only in the browser.
export const PointPicker = dynamic(() => import('./point-picker-client'), {
  ssr: false,
  loading: () => <MapLoading />,
});
