'use client';

import { useState, useTransition } from 'react';
import { setLocaleAction } from '@/app/(site)/locale/actions';
import { LOCALE_NAMES, LOCALES, type Locale } from '@/i18n/config';
import { cx } from '@/lib/cx';

export type LanguageSwitchProps = {
  current: Locale;
  /** The group's accessible name and the failure's text, in the page's language. */
  labels: { label: string; failed: string };
  tone?: 'light' | 'dark';
  className?: string;
};

/**
 * The buttons of the language switch (./language-switch.tsx renders them with the page's
 * language and texts). They take their texts as props, not from next-intl, so the pages that
 * have no other translated client component (the home page, the catalog) load no translation
 * code in the browser.
 */
export function LanguageSwitchButtons({ current, labels, tone = 'light', className = '' }: LanguageSwitchProps) {
  const [pending, startTransition] = useTransition();
  const [failed, setFailed] = useState(false);

  const choose = (locale: Locale) =>
    startTransition(async () => {
      setFailed(false);
      try {
        const result = await setLocaleAction({ locale });
        if (!result.ok) setFailed(true);
      } catch {
        setFailed(true);
      }
    });

  const idle = tone === 'dark' ? 'text-slate-100 hover:bg-white/10' : 'text-slate-700 hover:bg-slate-100';
  const active = tone === 'dark' ? 'bg-white text-slate-900' : 'bg-brand-700 text-white';
  return (
    <div className={`flex items-center gap-1 ${className}`}>
      <div role="group" aria-label={labels.label} className="flex items-center gap-1" aria-busy={pending || undefined}>
        {LOCALES.map((locale) => {
          const selected = current === locale;
          return (
            <button
              key={locale}
              type="button"
              lang={locale}
              aria-pressed={selected}
              aria-label={LOCALE_NAMES[locale]}
              disabled={pending}
              onClick={() => (selected ? undefined : choose(locale))}
              className={cx(
                'min-h-10 min-w-10 rounded-md px-2 text-sm font-semibold uppercase disabled:opacity-60',
                'focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700',
                selected ? active : idle,
              )}
            >
              {locale}
            </button>
          );
        })}
      </div>
      {failed ? (
        <span role="alert" className={`text-xs font-semibold ${tone === 'dark' ? 'text-red-200' : 'text-red-700'}`}>
          {labels.failed}
        </span>
      ) : null}
    </div>
  );
}
