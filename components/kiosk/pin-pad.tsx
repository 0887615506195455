'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { cx } from '@/lib/cx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * A large on-screen keypad for a PIN, with the same PIN typed on a hardware keyboard as an
 * alternative: the field itself takes digits, Backspace and Enter, and digits pressed while a
 * keypad button has focus go to the field too. Every key is a real button with a name.
 */
export function PinPad({
  id,
  label,
  hint,
  minLength,
  maxLength,
  masked = false,
  busy = false,
  submitLabel,
  error,
  autoFocus = true,
  onSubmit,
}: {
  id: string;
  label: string;
  hint?: string;
  minLength: number;
  maxLength: number;
  masked?: boolean;
  busy?: boolean;
  submitLabel: string;
  error?: string | null;
  autoFocus?: boolean;
  onSubmit: (pin: string) => void;
}) {
  const t = useTranslations('kiosk.keypad');
  const [value, setValue] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);

  const put = (next: string) => setValue(next.replace(/\D/g, '').slice(0, maxLength));
  const ready = value.length >= minLength && value.length <= maxLength;

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!ready || busy) return;
    onSubmit(value);
  }

  // Digits typed while a keypad button has focus still go to the field.
  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (e.target === input.current || e.altKey || e.ctrlKey || e.metaKey) return;
    if (/^[0-9]$/.test(e.key)) {
      e.preventDefault();
      put(value + e.key);
    } else if (e.key === 'Backspace') {
      e.preventDefault();
      put(value.slice(0, -1));
    }
  }

  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const keyClass =
    'min-h-16 rounded-xl bg-slate-700 text-3xl font-semibold text-white hover:bg-slate-600 active:bg-slate-500 ' +
    'focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-white disabled:opacity-60';

  return (
    <form onSubmit={submit} onKeyDown={onKeyDown} className="space-y-4" noValidate>
      <div>
        <label htmlFor={id} className="block text-lg font-semibold text-white">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="mt-1 text-slate-300">
            {hint}
          </p>
        ) : null}
        <input
          ref={input}
          id={id}
          name={id}
          type={masked ? 'password' : 'text'}
          inputMode="numeric"
          pattern="[0-9]*"
          autoComplete="off"
          spellCheck={false}
          maxLength={maxLength}
          value={value}
          onChange={(e) => put(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={cx(
            'mt-2 block min-h-16 w-full rounded-xl border-2 border-slate-500 bg-slate-950 px-4 text-center font-mono',
            'text-4xl tracking-[0.4em] text-white focus:border-white focus:outline-none',
          )}
        />
        {error ? (
          <p id={`${id}-error`} className="mt-2 text-lg font-medium text-amber-300" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="grid grid-cols-3 gap-3" role="group" aria-label={t('group', { label })}>
        {KEYS.map((k) => (
          <button key={k} type="button" className={keyClass} onClick={() => put(value + k)} disabled={busy}>
            {k}
          </button>
        ))}
        <button type="button" className={`${keyClass} text-xl`} onClick={() => setValue('')} disabled={busy || !value}>
          {t('clear')}
        </button>
        <button type="button" className={keyClass} onClick={() => put(value + '0')} disabled={busy}>
          0
        </button>
        <button
          type="button"
          className={`${keyClass} text-xl`}
          aria-label={t('delete')}
          onClick={() => put(value.slice(0, -1))}
          disabled={busy || !value}
        >
          <span aria-hidden="true">⌫</span>
        </button>
      </div>
      <button
        type="submit"
        disabled={!ready || busy}
        aria-busy={busy}
        className={cx(
          'min-h-16 w-full rounded-xl bg-emerald-400 text-2xl font-bold text-slate-950 hover:bg-emerald-300',
          'focus-visible:outline-4 focus-visible:outline-offset-2 focus-visible:outline-white',
          'disabled:cursor-not-allowed disabled:bg-slate-600 disabled:text-slate-300',
        )}
      >
        {busy ? t('checking') : submitLabel}
      </button>
    </form>
  );
}
