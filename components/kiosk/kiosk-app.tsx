'use client';

import { useQuery } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Logo } from '@/components/logo';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { staffPinSetSchema } from '@/lib/validation/kiosk';
import { localizeFieldErrors } from '@/lib/validation/localize';
import { PinPad } from './pin-pad';
import { QrScanner } from './qr-scanner';
import { useIdleTimeout } from './use-idle-timeout';
import { cx } from '@/lib/cx';

// The locker's public screen. Anyone walking by can use it, so by default it shows only what
// a customer needs: the scanner, the result and how many deliveries are on their way. Staff
// controls (pairing, unpairing, parcels to move) sit behind the staff PIN, which the server
// checks; staff mode closes itself after a minute without a touch.

type Expected = {
  id: string;
  status: string;
  drone_id: string | null;
  internal_cell_number: number | null;
  external_cell_number: number | null;
};
/** A refused scan: which message of kiosk.errors to show, with its arguments. */
type ScanError = { key: ErrorKey; seconds?: number };
type ScanResult = { kind: 'opened'; cells: (number | null)[] } | ({ kind: 'error' } & ScanError);
type View = 'public' | 'staff-pin' | 'set-pin' | 'staff';
/** Whatever the kiosk reads from a reply: a contract error, or a scan's or a staff check's answer. */
type ApiBody = {
  error?: { code?: string; message?: string; fields?: Record<string, string> };
  open?: { cell_number: number | null }[];
  idle_timeout_seconds?: number;
};

const storageKey = (automatId: string) => `skypost.kiosk.${automatId}.key`;
/** The PIN entry screen goes back to the public screen if left alone this long. */
const PIN_ENTRY_IDLE_SECONDS = 45;

/** Contract error codes the kiosk explains in its own words (kiosk.errors.<code>). */
const KNOWN_CODES = [
  'invalid_qr',
  'qr_expired',
  'nothing_to_collect',
  'invalid_pin',
  'validation_failed',
  'rate_limited',
] as const;
type ErrorKey = (typeof KNOWN_CODES)[number] | 'pinsPaused' | 'pinsPausedLater' | 'unpaired' | 'other' | 'offline';
const isKnownCode = (code: string): code is (typeof KNOWN_CODES)[number] =>
  (KNOWN_CODES as readonly string[]).includes(code);

/** Retry-After in whole seconds, when the server sent a usable one. */
function retryAfter(res: Response): number | undefined {
  const n = Number(res.headers.get('retry-after'));
  return Number.isFinite(n) && n > 0 ? Math.ceil(n) : undefined;
}

async function call(path: string, key: string, init?: RequestInit) {
  return fetch(path, { ...init, headers: { ...init?.headers, authorization: `Bearer ${key}` }, cache: 'no-store' });
}

async function postJson(path: string, key: string, body: unknown) {
  const res = await call(path, key, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { res, body: (await res.json().catch(() => ({}))) as ApiBody };
}

/**
 * Pairs this screen: the device key proves it is staff, and the staff PIN chosen here opens
 * staff mode later. With `key` given (an already paired screen whose locker has no staff PIN
 * yet) the key is still asked for, so nobody at the screen can set a PIN without it.
 */
function StaffPinSetup({
  automatId,
  title,
  intro,
  submitLabel,
  onDone,
  onCancel,
}: {
  automatId: string;
  title: string;
  intro: string;
  submitLabel: string;
  onDone: (key: string) => void;
  onCancel?: () => void;
}) {
  const t = useTranslations('kiosk.pair');
  const tAll = useTranslations();
  const [errors, setErrors] = useState<{ key?: string; pin?: string; repeat?: string; form?: string }>({});
  const [pending, setPending] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const key = String(form.get('key') ?? '').trim();
    const pin = String(form.get('staff-pin') ?? '').trim();
    const repeat = String(form.get('staff-pin-repeat') ?? '').trim();
    const next: typeof errors = {};
    if (!key) next.key = t('keyRequired');
    // The server's rules (digits only, nothing trivial), checked here to answer in this screen's language.
    const parsed = staffPinSetSchema.safeParse({ pin });
    if (!parsed.success) next.pin = localizeFieldErrors(parsed.error, tAll).pin ?? t('pinDigits');
    else if (repeat !== pin) next.repeat = t('pinsDiffer');
    setErrors(next);
    if (Object.keys(next).length) return;
    setPending(true);
    try {
      const { res } = await postJson(`/api/automats/${automatId}/staff-pin`, key, { pin });
      if (res.ok) {
        window.localStorage.setItem(storageKey(automatId), key);
        onDone(key);
      } else if (res.status === 403) setErrors({ key: t('keyOther') });
      else if (res.status === 401) setErrors({ key: t('keyInvalid') });
      // The device API answers in English (its contract): the screen says it in its own language.
      else if (res.status === 400) setErrors({ pin: t('pinRefused') });
      else setErrors({ form: t('saveFailed') });
    } catch {
      setErrors({ form: t('offline') });
    } finally {
      setPending(false);
    }
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      className="mx-auto mt-10 max-w-lg space-y-5 rounded-2xl bg-white p-6 text-slate-900 shadow sm:p-8"
    >
      <h2 className="text-2xl font-bold">{title}</h2>
      <p className="text-slate-700">{intro}</p>
      {errors.form ? (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-red-900">
          {errors.form}
        </p>
      ) : null}
      <TextField id="key" name="key" label={t('deviceKey')} type="password" autoComplete="off" error={errors.key} />
      <TextField
        id="staff-pin"
        name="staff-pin"
        label={t('newPin')}
        hint={t('pinHint')}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        error={errors.pin}
      />
      <TextField
        id="staff-pin-repeat"
        name="staff-pin-repeat"
        label={t('repeatPin')}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        error={errors.repeat}
      />
      <div className="flex flex-wrap gap-3">
        <Button type="submit" size="lg" className="flex-1" disabled={pending} aria-busy={pending}>
          {pending ? t('checking') : submitLabel}
        </Button>
        {onCancel ? (
          <Button type="button" size="lg" variant="secondary" onClick={onCancel} disabled={pending}>
            {t('cancel')}
          </Button>
        ) : null}
      </div>
    </form>
  );
}

function StaffPinEntry({
  automatId,
  deviceKey,
  onOpened,
  onNoPin,
  onCancel,
}: {
  automatId: string;
  deviceKey: string;
  onOpened: (idleSeconds: number) => void;
  onNoPin: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations('kiosk.staffPin');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  async function check(pin: string) {
    setBusy(true);
    setError(null);
    try {
      const { res, body } = await postJson(`/api/automats/${automatId}/staff-session`, deviceKey, { pin });
      if (res.ok) {
        const seconds = body.idle_timeout_seconds;
        onOpened(typeof seconds === 'number' && seconds > 0 ? seconds : 60);
        return;
      }
      if (res.status === 409) return onNoPin();
      if (res.status === 429) {
        const seconds = retryAfter(res);
        setError(seconds ? t('tooMany', { seconds }) : t('tooManyLater'));
      } else if (body.error?.code === 'invalid_pin') setError(t('wrong'));
      else if (res.status === 400) setError(t('digits'));
      else setError(t('failed'));
    } catch {
      setError(t('offline'));
    } finally {
      setBusy(false);
      setAttempt((n) => n + 1);
    }
  }

  return (
    <section aria-labelledby="staff-pin-h" className="mx-auto mt-8 max-w-md rounded-2xl bg-slate-800 p-6">
      <h1 id="staff-pin-h" className="text-3xl font-bold">
        {t('title')}
      </h1>
      <div className="mt-4">
        <PinPad
          key={attempt}
          id="staff-pin-entry"
          label={t('label')}
          minLength={6}
          maxLength={12}
          masked
          busy={busy}
          submitLabel={t('submit')}
          error={error}
          onSubmit={(pin) => void check(pin)}
        />
      </div>
      <Button type="button" variant="inverse" size="lg" className="mt-4 w-full" onClick={onCancel}>
        {t('back')}
      </Button>
    </section>
  );
}

function StaffPanel({
  secondsLeft,
  waiting,
  incoming,
  listError,
  onClose,
  onUnpair,
}: {
  secondsLeft: number;
  waiting: Expected[];
  incoming: Expected[];
  listError: boolean;
  onClose: () => void;
  onUnpair: () => void;
}) {
  const t = useTranslations('kiosk.staff');
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="staff-h" className="mt-6 grid gap-6 lg:grid-cols-[3fr_2fr]">
      <div className="rounded-2xl bg-slate-800 p-6">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 id="staff-h" className="text-3xl font-bold">
              {t('title')}
            </h1>
            <p className="mt-1 text-slate-300" aria-live="off">
              {t('closesIn', { seconds: secondsLeft })}
            </p>
          </div>
          <Button type="button" variant="light" size="lg" onClick={onClose}>
            {t('close')}
          </Button>
        </div>
        {listError ? <p className="mt-3 text-amber-300">{t('listError')}</p> : null}
        <h2 className="mt-6 text-xl font-semibold">{t('toMove')}</h2>
        <ul className="mt-2 space-y-2" aria-label={t('toMoveLabel')}>
          {waiting.length === 0 ? <li className="text-slate-300">{t('none')}</li> : null}
          {waiting.map((d) => (
            <li key={d.id} className="rounded-lg bg-slate-700 p-3 text-lg">
              {t('move', {
                from: String(d.internal_cell_number ?? '–'),
                to: String(d.external_cell_number ?? '–'),
              })}
            </li>
          ))}
        </ul>
        <h2 className="mt-6 text-xl font-semibold">{t('onTheWay')}</h2>
        <ul className="mt-2 space-y-2" aria-label={t('onTheWayLabel')}>
          {incoming.length === 0 ? <li className="text-slate-300">{t('none')}</li> : null}
          {incoming.map((d) => (
            <li key={d.id} className="rounded-lg bg-slate-700 p-3">
              {t(d.status === 'in_progress' ? 'inFlight' : 'gettingReady', {
                cell: String(d.internal_cell_number ?? '–'),
              })}
            </li>
          ))}
        </ul>
      </div>
      <div className="self-start rounded-2xl bg-slate-800 p-6">
        <h2 className="text-xl font-semibold">{t('screen')}</h2>
        <p className="mt-2 text-slate-300">{t('screenText')}</p>
        {confirming ? (
          <div
            role="alertdialog"
            aria-labelledby="unpair-h"
            aria-describedby="unpair-d"
            className="mt-4 rounded-xl border-2 border-red-400 bg-slate-900 p-4"
          >
            <h3 id="unpair-h" className="text-lg font-bold">
              {t('unpairTitle')}
            </h3>
            <p id="unpair-d" className="mt-1 text-slate-300">
              {t('unpairText')}
            </p>
            <div className="mt-4 flex flex-wrap gap-3">
              <Button type="button" variant="danger" size="lg" onClick={onUnpair}>
                {t('unpairYes')}
              </Button>
              <Button type="button" variant="inverse" size="lg" onClick={() => setConfirming(false)} autoFocus>
                {t('unpairKeep')}
              </Button>
            </div>
          </div>
        ) : (
          <Button type="button" variant="inverse" size="lg" className="mt-4" onClick={() => setConfirming(true)}>
            {t('unpair')}
          </Button>
        )}
      </div>
    </section>
  );
}

export default function KioskApp({ automatId, address, city }: { automatId: string; address: string; city: string }) {
  const t = useTranslations('kiosk');
  // Rendered in the browser only (see kiosk.tsx), so localStorage is there.
  const [key, setKey] = useState<string | null>(() => window.localStorage.getItem(storageKey(automatId)));
  const [view, setView] = useState<View>('public');
  const [staffIdleSeconds, setStaffIdleSeconds] = useState(60);
  const [result, setResult] = useState<ScanResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [pinAttempt, setPinAttempt] = useState(0);

  const toPublic = useCallback(() => setView('public'), []);
  const staffSecondsLeft = useIdleTimeout(view === 'staff', staffIdleSeconds, toPublic);
  useIdleTimeout(view === 'staff-pin' || view === 'set-pin', PIN_ENTRY_IDLE_SECONDS, toPublic);

  const unpair = useCallback(() => {
    window.localStorage.removeItem(storageKey(automatId));
    setKey(null);
    setView('public');
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
    async (input: { qr: string } | { pin: string }) => {
      if (!key || busy) return;
      setBusy(true);
      try {
        const { res, body } = await postJson(`/api/automats/${automatId}/scan`, key, input);
        const open = body.open;
        const code = body.error?.code ?? '';
        if (res.ok && open) setResult({ kind: 'opened', cells: open.map((o) => o.cell_number) });
        else if (code === 'unauthorized' || code === 'forbidden') setResult({ kind: 'error', key: 'unpaired' });
        else if (code === 'rate_limited' && 'pin' in input) {
          const seconds = retryAfter(res);
          setResult({ kind: 'error', key: seconds ? 'pinsPaused' : 'pinsPausedLater', seconds });
        } else setResult({ kind: 'error', key: isKnownCode(code) ? code : 'other' });
      } catch {
        setResult({ kind: 'error', key: 'offline' });
      } finally {
        setBusy(false);
        // A new, empty keypad after every attempt: a PIN never stays on the public screen.
        if ('pin' in input) setPinAttempt((n) => n + 1);
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

  let body;
  if (!key || keyRejected) {
    body = (
      <>
        {keyRejected ? (
          <p className="mx-auto mt-8 max-w-lg rounded-lg bg-red-100 p-4 text-red-900">{t('pair.rejected')}</p>
        ) : null}
        <StaffPinSetup
          automatId={automatId}
          title={t('pair.title')}
          intro={t('pair.intro')}
          submitLabel={t('pair.submit')}
          onDone={(k) => {
            setKey(k);
            setView('public');
            void expected.refetch();
          }}
        />
      </>
    );
  } else if (view === 'staff-pin') {
    body = (
      <StaffPinEntry
        automatId={automatId}
        deviceKey={key}
        onOpened={(seconds) => {
          setStaffIdleSeconds(seconds);
          setView('staff');
        }}
        onNoPin={() => setView('set-pin')}
        onCancel={toPublic}
      />
    );
  } else if (view === 'set-pin') {
    body = (
      <StaffPinSetup
        automatId={automatId}
        title={t('pair.setTitle')}
        intro={t('pair.setIntro')}
        submitLabel={t('pair.setSubmit')}
        onDone={(k) => {
          setKey(k);
          setView('public');
        }}
        onCancel={toPublic}
      />
    );
  } else if (view === 'staff') {
    body = (
      <StaffPanel
        secondsLeft={staffSecondsLeft}
        waiting={waiting}
        incoming={incoming}
        listError={expected.isError}
        onClose={toPublic}
        onUnpair={unpair}
      />
    );
  } else {
    body = (
      <div className="mt-6 space-y-6">
        <div role="status" aria-live="assertive">
          {result?.kind === 'opened' ? (
            <div className="rounded-2xl bg-emerald-500 p-6 text-slate-950">
              <p className="text-2xl font-semibold">{t('result.opened')}</p>
              <p className="text-6xl font-black" data-testid="opened-cells">
                {result.cells.map((c) => t('result.cell', { cell: String(c ?? '–') })).join(', ')}
              </p>
              <p className="mt-2 text-lg">{t('result.take')}</p>
            </div>
          ) : result?.kind === 'error' ? (
            <div
              className="rounded-2xl bg-amber-300 p-6 text-slate-950"
              data-testid="scan-error"
              data-error={result.key}
            >
              <p className="text-3xl font-bold">{t(`errors.${result.key}.title`)}</p>
              <p className="mt-2 text-lg">{t(`errors.${result.key}.text`, { seconds: result.seconds ?? 0 })}</p>
            </div>
          ) : null}
        </div>
        <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
          <section aria-labelledby="scan-h" className="rounded-2xl bg-slate-800 p-6">
            <h1 id="scan-h" className="text-3xl font-bold sm:text-4xl">
              {t('public.title')}
            </h1>
            <p className="mt-2 text-lg text-slate-300">{t('public.intro')}</p>
            <div className="mt-4">
              <QrScanner onCode={(code) => void scan({ qr: code })} paused={busy} />
            </div>
          </section>
          <section aria-labelledby="pin-h" className="rounded-2xl bg-slate-800 p-6">
            <h2 id="pin-h" className="text-2xl font-bold">
              {t('public.pinTitle')}
            </h2>
            <div className="mt-4">
              <PinPad
                key={pinAttempt}
                id="pickup-pin"
                label={t('public.pinLabel')}
                hint={t('public.pinHint')}
                minLength={6}
                maxLength={6}
                busy={busy}
                autoFocus={false}
                submitLabel={t('public.open')}
                onSubmit={(pin) => void scan({ pin })}
              />
            </div>
          </section>
        </div>
      </div>
    );
  }

  const paired = Boolean(key) && !keyRejected;
  return (
    <main id="main" className="flex min-h-dvh flex-col bg-slate-900 p-4 text-white sm:p-8">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-3 [&_a]:text-white">
          <Logo href={`/kiosk/${automatId}`} />
          <span className="text-lg text-slate-300">
            {address}, {city}
          </span>
        </div>
        {paired ? (
          <p
            className="rounded-full bg-slate-800 px-4 py-2 text-lg"
            data-testid="arriving"
            data-count={expected.isSuccess ? incoming.length : undefined}
            aria-live="polite"
          >
            {expected.isSuccess
              ? incoming.length === 0
                ? t('arriving.none')
                : t('arriving.count', { count: incoming.length })
              : t('arriving.checking')}
          </p>
        ) : null}
      </header>
      <div className="flex-1">{body}</div>
      {paired && view === 'public' ? (
        <footer className="mt-8 flex justify-end">
          <button
            type="button"
            onClick={() => setView('staff-pin')}
            className={cx(
              'rounded-md px-3 py-2 text-sm text-slate-400 underline hover:text-white focus-visible:outline-2',
              'focus-visible:outline-white',
            )}
            data-testid="staff-button"
          >
            {t('staffButton')}
          </button>
        </footer>
      ) : null}
    </main>
  );
}
