import type { Formats } from 'next-intl';

// Named formats shared by pages (getFormatter/useFormatter) and by non-React code
// (lib/format.ts), so a date reads the same in a list, a detail page and a notification.
export const formats = {
  dateTime: {
    // "27 Nov 2026, 15:58" / "27 нояб. 2026 г., 15:58"
    dateTime: { dateStyle: 'medium', timeStyle: 'short' },
    // "27 Nov 2026"
    date: { dateStyle: 'medium' },
    // "3:58 PM" / "15:58"
    time: { hour: 'numeric', minute: '2-digit' },
    // "15:58:10", for "updated at" stamps that change every few seconds
    clock: { hour: 'numeric', minute: '2-digit', second: '2-digit' },
  },
} satisfies Formats;
