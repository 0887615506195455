'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { PhoneSignInForm } from './phone-sign-in-form';
import { SignInForm } from './sign-in-form';
import { cx } from '@/lib/cx';

export function SignInTabs({ callbackPath }: { callbackPath: string }) {
  const t = useTranslations('auth.tabs');
  const [tab, setTab] = useState<'email' | 'phone'>('email');
  const tabClass = (active: boolean) =>
    cx(
      'flex-1 rounded-md px-3 py-2 text-sm font-semibold',
      active ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-700 hover:text-slate-900',
    );
  return (
    <div>
      <div role="tablist" aria-label={t('label')} className="flex gap-1 rounded-lg bg-slate-100 p-1">
        <button
          type="button"
          role="tab"
          id="tab-email"
          aria-selected={tab === 'email'}
          aria-controls="panel-email"
          className={tabClass(tab === 'email')}
          onClick={() => setTab('email')}
        >
          {t('email')}
        </button>
        <button
          type="button"
          role="tab"
          id="tab-phone"
          aria-selected={tab === 'phone'}
          aria-controls="panel-phone"
          className={tabClass(tab === 'phone')}
          onClick={() => setTab('phone')}
        >
          {t('phone')}
        </button>
      </div>
      <div className="mt-6">
        {tab === 'email' ? (
          <div role="tabpanel" id="panel-email" aria-labelledby="tab-email">
            <SignInForm callbackPath={callbackPath} />
          </div>
        ) : (
          <div role="tabpanel" id="panel-phone" aria-labelledby="tab-phone">
            <PhoneSignInForm callbackPath={callbackPath} />
          </div>
        )}
      </div>
    </div>
  );
}
