import type { MetadataRoute } from 'next';

// The web app manifest (served at /manifest.webmanifest and linked from every page by Next.js):
// lets customers add SkyPost to a phone's home screen and open it like an app. The icons are
// rendered from app/icon.svg by `npm run icons`.
export default function manifest(): MetadataRoute.Manifest {
  return {
    id: '/',
    name: 'SkyPost — drone delivery to parcel lockers',
    short_name: 'SkyPost',
    description: 'Order goods online and a drone drops them into a parcel locker near you.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#ffffff',
    theme_color: '#0b5294',
    categories: ['shopping', 'lifestyle'],
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}
