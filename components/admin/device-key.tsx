'use client';

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
  const device = kind === 'drone' ? 'drone' : 'locker';

  const issue = () =>
    start(async () => {
      setMessage(null);
      const r = kind === 'drone' ? await issueDroneKeyAction({ drone_id: id }) : await issueAutomatKeyAction({ automat_id: id });
      if (r.ok) {
        setKey(r.data.key);
        setMessage({ tone: 'success', text: issued ? 'New key issued. The previous key stopped working just now.' : 'Key issued.' });
        setIssued(true);
      } else setMessage({ tone: 'error', text: r.error });
    });

  return (
    <div className="space-y-3 text-sm">
      <p className="text-slate-700">
        {issued === undefined
          ? `Issuing a key revokes any earlier key of this ${device} at once.`
          : issued
            ? `This ${device} has a key. Issuing a new one revokes it immediately: update the ${device} with the new key.`
            : `This ${device} has no key yet: it cannot call the device API until you issue one.`}
      </p>
      <div role="status" aria-live="polite">
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
      {key ? (
        <div className="rounded-lg border border-amber-300 bg-amber-50 p-3">
          <p className="font-semibold">Copy the key now; it is not shown again.</p>
          <p className="mt-1 font-mono text-xs break-all select-all" data-testid="issued-key">
            {key}
          </p>
          <div className="mt-2 flex flex-wrap gap-2">
            <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(key)}>
              Copy
            </Button>
            <Button variant="secondary" onClick={() => setKey(null)}>
              I have stored it
            </Button>
          </div>
        </div>
      ) : null}
      <Button variant="secondary" disabled={pending} aria-busy={pending} onClick={issue}>
        {pending ? 'Issuing…' : issued ? 'Re-issue device key' : 'Issue device key'}
      </Button>
    </div>
  );
}
