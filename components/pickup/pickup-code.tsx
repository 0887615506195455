'use client';

import { useNow, useTranslations } from 'next-intl';
import { useEffect, useState, useTransition } from 'react';
import { newPickupCodeAction, type PickupCodeView } from '@/app/(site)/pickup/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { cx } from '@/lib/cx';

function remaining(expiresAt: string, now: number): string {
  const s = Math.max(0, Math.floor((new Date(expiresAt).getTime() - now) / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

export function PickupCode({ initial }: { initial: PickupCodeView }) {
  const t = useTranslations('pickup.code');
  const [code, setCode] = useState(initial);
  // The request's time first (the server rendered the countdown with it), then the browser's clock.
  const renderedAt = useNow();
  const [now, setNow] = useState(() => renderedAt.getTime());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, []);
  const expired = new Date(code.expiresAt).getTime() <= now;

  function renew() {
    setError(null);
    setNotice(null);
    startTransition(async () => {
      const result = await newPickupCodeAction();
      if (result.ok) {
        setCode(result.data);
        setNotice(t('renewed'));
      } else {
        setError(result.error);
      }
    });
  }

  return (
    <div className="flex flex-col items-center gap-4">
      <div
        role="img"
        aria-label={t('qrLabel')}
        data-testid="pickup-qr"
        data-token={code.token}
        className={cx(
          'w-full max-w-[360px] rounded-2xl border border-slate-300 bg-white p-3 shadow-sm',
          '[&_svg]:h-auto [&_svg]:w-full',
          expired && 'opacity-30',
        )}
        dangerouslySetInnerHTML={{ __html: code.svg }}
      />
      <p className="text-center text-lg" aria-live="off">
        {expired ? (
          <span className="font-semibold text-red-700">{t('expired')}</span>
        ) : (
          t.rich('validFor', {
            remaining: remaining(code.expiresAt, now),
            time: (chunks) => <span className="font-mono font-semibold tabular-nums">{chunks}</span>,
          })
        )}
      </p>
      <div role="status" aria-live="polite" className="w-full max-w-[360px]">
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        {error ? <Alert title={t('notRenewed')}>{error}</Alert> : null}
      </div>
      <Button variant={expired ? 'primary' : 'secondary'} onClick={renew} disabled={pending} aria-busy={pending}>
        {pending ? t('renewing') : t('renew')}
      </Button>
    </div>
  );
}
