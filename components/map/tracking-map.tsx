'use client';

import dynamic from 'next/dynamic';
import { MapLoading } from './map-loading';

export const TrackingMap = dynamic(() => import('./tracking-map-client'), {
  ssr: false,
  loading: () => <MapLoading />,
});
