/**
 * The instant a calendar day ("2026-11-27") starts in a time zone: the portal's date filters
 * mean days as the portal shows them, in APP_TIME_ZONE, not UTC days. Computed, not
 * displayed, so it uses the zone's offset from Intl rather than the page formatter.
 */
export function zonedDayStart(ymd: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${ymd}T00:00:00Z`);
  // Two passes: the offset at the first guess can differ when a DST change falls that night.
  let guess = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  guess = midnightUtc - zoneOffsetMs(guess, timeZone);
  return new Date(guess);
}

/** The start of the day after `ymd` in the zone: the exclusive end of a "to" filter. */
export function zonedDayEnd(ymd: string, timeZone: string): Date {
  const next = new Date(Date.parse(`${ymd}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return zonedDayStart(next, timeZone);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}
