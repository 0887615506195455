'use client';

import type { NotificationJson } from '@/lib/notifications/present';
import { timeAgo } from './use-inbox';

/** One notification as a button that opens it; unread ones are marked for sight and for screen readers. */
export function NotificationItem({ n, onOpen, busy }: { n: NotificationJson; onOpen: (n: NotificationJson) => void; busy: boolean }) {
  return (
    <button
      type="button"
      onClick={() => onOpen(n)}
      disabled={busy}
      className={`block w-full rounded-lg px-3 py-2 text-left hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-brand-700 ${n.read_at ? '' : 'bg-brand-50'}`}
    >
      <span className="flex items-start gap-2">
        {n.read_at ? <span className="mt-1.5 h-2 w-2 shrink-0" aria-hidden /> : <span className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-brand-600" aria-hidden />}
        <span className="min-w-0">
          <span className="block font-semibold text-slate-900">
            {n.read_at ? null : <span className="sr-only">Unread: </span>}
            {n.title}
          </span>
          <span className="block text-sm text-slate-700">{n.body}</span>
          <span className="block text-xs text-slate-600">{timeAgo(n.created_at)}</span>
        </span>
      </span>
    </button>
  );
}
