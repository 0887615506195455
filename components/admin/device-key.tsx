'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { issueDroneKeyAction } from '@/app/admin/actions';
import { issueAutomatKeyAction } from '@/app/admin/automats/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

/**
 * "Issue device key": shows the new key once. Re-issuing revokes the old key at once, so the
 * button says so when the device already has one. `hasKey` undefined: not known here (the
 * live map's panel), so the text covers both cases.
 */
export function DeviceKeyControl({ kind, id, hasKey }: { kind: 'drone' | 'automat'; id: string; hasKey?: boolean }) {
  const [key, setKey] = useState<string | null>(null);
  const [issued, setIssued] = useState(hasKey);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [pending, start] = useTransition();
  const tKeys = useTranslations('adminFleet.deviceKey');
  const t = (key: string) => tKeys(`${kind}.${key}`);

  const issue = () =>
    start(async () => {
      setMessage(null);
      const r =
        kind === 'drone'
          ? await issueDroneKeyAction({ drone_id: id })
          : await issueAutomatKeyAction({ automat_id: id });
      if (r.ok) {
        setKey(r.data.key);
        setMessage({ tone: 'success', text: issued ? t('reissued') : t('issued') });
        setIssued(true);
      } else setMessage({ tone: 'error', text: r.error });
    });

  return (
    <div className="space-y-3 text-sm">
      <p className="text-slate-700">{issued === undefined ? t('unknown') : issued ? t('hasKey') : t('noKey')}</p>
      <div role="status" aria-live="polite">
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
      {key ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-3">
          <p className="font-semibold">{t('copyNow')}</p>
          <p className="mt-1 font-mono text-xs break-all select-all" data-testid="issued-key">
            {key}
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(key)}>
              {t('copy')}
            </Button>
            <Button variant="secondary" onClick={() => setKey(null)}>
              {t('stored')}
            </Button>
          </div>
        </div>
      ) : null}
      <Button variant="secondary" disabled={pending} aria-busy={pending} onClick={issue}>
        {pending ? t('issuing') : issued ? t('reissue') : t('issue')}
      </Button>
    </div>
  );
}
