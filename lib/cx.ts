/** Class names joined with spaces, falsy parts left out: long Tailwind lists stay under 120 columns. */
export function cx(...parts: (string | false | null | undefined)[]): string {
  return parts.filter(Boolean).join(' ');
}
