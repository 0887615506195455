import { formatDateTime } from '@/lib/orders/format-date';

/** A date as <time>: the instant for machines, the shared formatter's text for people. */
export function DateTime({ value }: { value: string }) {
  return <time dateTime={value}>{formatDateTime(value)}</time>;
}
