/**
 * "1 order", "3 orders", "0 orders": a count with its noun in the right number. English only
 * for now; the message catalogs take these over when the admin portal is translated.
 */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
