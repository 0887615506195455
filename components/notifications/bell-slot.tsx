'use client';

import dynamic from 'next/dynamic';

// A separate chunk, fetched only when a signed-in customer's header renders the bell: the
// header is on every site page, and anonymous visitors have no inbox.
const NotificationBell = dynamic(() => import('./bell').then((m) => m.NotificationBell));

/** The header's notification bell (./bell.tsx), loaded only for a signed-in customer. */
export function BellSlot() {
  return <NotificationBell />;
}
