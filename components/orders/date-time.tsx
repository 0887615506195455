import { useFormatter } from 'next-intl';

/** A date as <time>: the instant for machines, the app's one formatter for people. */
export function DateTime({ value }: { value: string }) {
  const format = useFormatter();
  return <time dateTime={value}>{format.dateTime(new Date(value), 'dateTime')}</time>;
}
