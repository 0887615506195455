import { getLocale, getTranslations } from 'next-intl/server';
import { isLocale, DEFAULT_LOCALE } from '@/i18n/config';
import { LanguageSwitchButtons } from './language-switch-buttons';

/**
 * English / Русский. The choice is remembered in a cookie (and on a signed-in account, for
 * its notifications); the server action's cookie makes Next.js render the page again in it.
 */
export async function LanguageSwitch({
  tone = 'light',
  className = '',
}: {
  tone?: 'light' | 'dark';
  className?: string;
}) {
  const [locale, t] = await Promise.all([getLocale(), getTranslations('site.language')]);
  return (
    <LanguageSwitchButtons
      current={isLocale(locale) ? locale : DEFAULT_LOCALE}
      labels={{ label: t('label'), failed: t('failed') }}
      tone={tone}
      className={className}
    />
  );
}
