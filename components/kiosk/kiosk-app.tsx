'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Logo } from '@/components/logo';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { QrScanner } from './qr-scanner';

type Expected = { id: string; status: string; drone_id: string | null; internal_cell_number: number | null; external_cell_number: number | null };
type ScanResult = { kind: 'opened'; cells: (number | null)[] } | { kind: 'error'; title: string; text: string };

const storageKey = (automatId: string) => `skypost.kiosk.${automatId}.key`;

const ERRORS: Record<string, { title: string; text: string }> = {
  invalid_qr: { title: 'This code is not valid', text: 'It is not a SkyPost pickup code. Open the SkyPost app and show your pickup code.' },
  qr_expired: { title: 'This code has expired', text: 'Open the SkyPost app: it shows your current code. Tap “New code” if needed.' },
  nothing_to_collect: { title: 'Nothing to collect here', text: 'No parcel is waiting for you at this locker. Check the address in the SkyPost app.' },
  validation_failed: { title: 'We could not read the code', text: 'Hold the code steady in front of the camera, or type it below.' },
  rate_limited: { title: 'Please wait a moment', text: 'Too many attempts. Try again in a few seconds.' },
};

async function call(path: string, key: string, init?: RequestInit) {
  return fetch(path, { ...init, headers: { ...init?.headers, authorization: `Bearer ${key}` }, cache: 'no-store' });
}

function Pairing({ automatId, onPaired }: { automatId: string; onPaired: (key: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function pair(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const key = String(new FormData(e.currentTarget).get('key') ?? '').trim();
    if (!key) return setError('Enter the locker’s device key.');
    setPending(true);
    setError(null);
    try {
      const res = await call(`/api/automats/${automatId}/expected`, key);
      if (res.ok) {
        window.localStorage.setItem(storageKey(automatId), key);
        onPaired(key);
      } else if (res.status === 403) setError('This key belongs to another locker or to a drone.');
      else if (res.status === 401) setError('This key is not valid. Issue a new one in the operations portal.');
      else setError('SkyPost could not check the key right now. Try again.');
    } catch {
      setError('SkyPost cannot be reached. Check the network and try again.');
    } finally {
      setPending(false);
    }
  }
  return (
    <form onSubmit={pair} className="mx-auto mt-10 max-w-lg space-y-5 rounded-2xl bg-white p-8 text-slate-900 shadow">
      <h2 className="text-2xl font-bold">Pair this screen</h2>
      <p className="text-slate-700">Enter the locker’s device key once. It is kept in this browser and used for every request.</p>
      <TextField id="key" name="key" label="Device key" type="password" autoComplete="off" error={error ?? undefined} />
      <Button type="submit" size="lg" className="w-full" disabled={pending} aria-busy={pending}>
        {pending ? 'Checking…' : 'Pair'}
      </Button>
    </form>
  );
}

export default function KioskApp({ automatId, address, city }: { automatId: string; address: string; city: string }) {
  // Rendered in the browser only (see kiosk.tsx), so localStorage is there.
  const [key, setKey] = useState<string | null>(() => window.localStorage.getItem(storageKey(automatId)));
  const [result, setResult] = useState<ScanResult | null>(null);
  const [busy, setBusy] = useState(false);

  const unpair = useCallback(() => {
    window.localStorage.removeItem(storageKey(automatId));
    setKey(null);
  }, [automatId]);

  const expected = useQuery({
    queryKey: ['kiosk-expected', automatId, key],
    enabled: Boolean(key),
    refetchInterval: 5000,
    queryFn: async (): Promise<Expected[]> => {
      const res = await call(`/api/automats/${automatId}/expected`, key ?? '');
      if (res.status === 401 || res.status === 403) throw new Error('unpaired');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return ((await res.json()) as { deliveries: Expected[] }).deliveries;
    },
  });
  const keyRejected = expected.error instanceof Error && expected.error.message === 'unpaired';

  const scan = useCallback(
    async (qr: string) => {
      if (!key || busy) return;
      setBusy(true);
      try {
        const res = await call(`/api/automats/${automatId}/scan`, key, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ qr }) });
        const body = (await res.json().catch(() => ({}))) as { open?: { cell_number: number | null }[]; error?: { code: string } };
        if (res.ok && body.open) setResult({ kind: 'opened', cells: body.open.map((o) => o.cell_number) });
        else if (body.error?.code === 'unauthorized' || body.error?.code === 'forbidden') setResult({ kind: 'error', title: 'This screen is not paired correctly', text: 'Ask staff to pair it again with the locker’s key.' });
        else setResult({ kind: 'error', ...(ERRORS[body.error?.code ?? ''] ?? { title: 'Something went wrong', text: 'Please try again. If it keeps happening, call SkyPost support.' }) });
      } catch {
        setResult({ kind: 'error', title: 'No connection', text: 'The locker cannot reach SkyPost right now. Try again in a moment.' });
      } finally {
        setBusy(false);
      }
    },
    [automatId, key, busy],
  );

  useEffect(() => {
    if (!result) return;
    const id = window.setTimeout(() => setResult(null), 12_000);
    return () => window.clearTimeout(id);
  }, [result]);

  const incoming = (expected.data ?? []).filter((d) => d.status !== 'delivered');
  const waiting = (expected.data ?? []).filter((d) => d.status === 'delivered');

  return (
    <main id="main" className="min-h-dvh bg-slate-900 p-4 text-white sm:p-8">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3 [&_a]:text-white">
          <Logo href={`/kiosk/${automatId}`} />
          <span className="text-lg text-slate-300">
            {address}, {city}
          </span>
        </div>
        {key ? (
          <button type="button" onClick={unpair} className="rounded-md px-3 py-2 text-sm text-slate-300 underline hover:text-white">
            Unpair screen
          </button>
        ) : null}
      </header>

      {!key || keyRejected ? (
        <>
          {keyRejected ? <p className="mx-auto mt-8 max-w-lg rounded-lg bg-red-100 p-4 text-red-900">The stored key was rejected (revoked or rotated). Pair again.</p> : null}
          <Pairing
            automatId={automatId}
            onPaired={(k) => {
              setKey(k);
              void expected.refetch();
            }}
          />
        </>
      ) : (
        <div className="mt-6 grid gap-6 lg:grid-cols-[3fr_2fr]">
          <section aria-labelledby="scan-h" className="rounded-2xl bg-slate-800 p-6">
            <h1 id="scan-h" className="text-3xl font-bold sm:text-4xl">
              Show your pickup code
            </h1>
            <div role="status" aria-live="assertive" className="mt-4">
              {result?.kind === 'opened' ? (
                <div className="rounded-2xl bg-emerald-500 p-6 text-slate-950">
                  <p className="text-2xl font-semibold">Open:</p>
                  <p className="text-6xl font-black" data-testid="opened-cells">
                    {result.cells.map((c) => `Cell ${c}`).join(', ')}
                  </p>
                  <p className="mt-2 text-lg">Take your parcel and close the door. Thank you!</p>
                </div>
              ) : result?.kind === 'error' ? (
                <div className="rounded-2xl bg-amber-300 p-6 text-slate-950" data-testid="scan-error">
                  <p className="text-3xl font-bold">{result.title}</p>
                  <p className="mt-2 text-lg">{result.text}</p>
                </div>
              ) : null}
            </div>
            <div className="mt-4">
              <QrScanner onCode={(code) => void scan(code)} paused={busy} />
            </div>
            <form
              className="mt-6 flex flex-col gap-3 sm:flex-row sm:items-end"
              onSubmit={(e) => {
                e.preventDefault();
                const code = String(new FormData(e.currentTarget).get('code') ?? '').trim();
                if (code) void scan(code);
                e.currentTarget.reset();
              }}
            >
              <div className="flex-1">
                <label htmlFor="code" className="block text-sm font-medium text-slate-200">
                  Camera not working? Type or paste the code
                </label>
                <input id="code" name="code" autoComplete="off" className="mt-1 block min-h-12 w-full rounded-lg border border-slate-600 bg-slate-950 px-3 text-lg text-white" />
              </div>
              <Button type="submit" size="lg" disabled={busy} aria-busy={busy}>
                {busy ? 'Checking…' : 'Open'}
              </Button>
            </form>
          </section>
          <section aria-labelledby="expected-h" className="rounded-2xl bg-slate-800 p-6">
            <h2 id="expected-h" className="text-xl font-semibold">
              Deliveries for this locker
            </h2>
            {expected.isError && !keyRejected ? <p className="mt-2 text-amber-300">Cannot refresh the list right now; retrying…</p> : null}
            <h3 className="mt-4 text-sm font-semibold tracking-wide text-slate-400 uppercase">To move to a pickup cell</h3>
            <ul className="mt-2 space-y-2" aria-label="Dropped parcels to move">
              {waiting.length === 0 ? <li className="text-slate-400">None</li> : null}
              {waiting.map((d) => (
                <li key={d.id} className="rounded-lg bg-slate-700 p-3">
                  Drop cell {d.internal_cell_number} → pickup cell {d.external_cell_number}
                </li>
              ))}
            </ul>
            <h3 className="mt-4 text-sm font-semibold tracking-wide text-slate-400 uppercase">On the way</h3>
            <ul className="mt-2 space-y-2" aria-label="Deliveries on the way">
              {incoming.length === 0 ? <li className="text-slate-400">None</li> : null}
              {incoming.map((d) => (
                <li key={d.id} className="rounded-lg bg-slate-700 p-3">
                  {d.status === 'in_progress' ? 'In flight' : 'Drone assigned'} · drop cell {d.internal_cell_number}
                </li>
              ))}
            </ul>
          </section>
        </div>
      )}
    </main>
  );
}
