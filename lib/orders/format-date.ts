// Dates on the customer's order pages, rendered identically on the server and in the browser
// (whatever the browser's own zone and locale), so hydration never disagrees. Until the
// app-wide formatter (deployment time zone, the user's locale) lands, it is pinned to the demo
// city's zone; only the numeric parts come from Intl and the layout is ours, so ICU versions
// cannot differ on punctuation or month abbreviations.

const ZONE = 'Europe/Moscow';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "27 Nov 2026, 15:58" (Moscow time); with `time: 'seconds'` only "15:58:07". */
export function formatDateTime(value: string | Date, opts: { time?: 'seconds' } = {}): string {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(value)).map((x) => [x.type, x.value]));
  if (opts.time === 'seconds') return `${p.hour}:${p.minute}:${p.second}`;
  return `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}, ${p.hour}:${p.minute}`;
}
