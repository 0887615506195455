import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'SkyPost — drone delivery to parcel lockers', template: '%s · SkyPost' },
  description: 'Order goods online and a drone drops them into a parcel locker near you. Pick up any time with your QR code.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1, themeColor: '#0b5294' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: proxy.ts issues a fresh CSP nonce each time, and a page
  // prerendered at build time would carry scripts without it, which the browser refuses.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <a
          href="#main"
          className="sr-only z-50 rounded-md bg-white px-4 py-2 font-semibold text-brand-800 focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
        >
          Skip to content
        </a>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
