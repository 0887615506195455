'use client';

import { useTranslations } from 'next-intl';
import { useActionState, type ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { submitTo } from '@/components/ui/use-form-action';
import type { ActionResult, ActionState } from '@/lib/actions';

/**
 * Deleting anything: says what will go (`impact`), needs a ticked confirmation, and is
 * disabled with the reason when the domain refuses it anyway (`blocked`).
 */
export function ConfirmDeleteForm<T>({
  action,
  hidden,
  impact,
  blocked,
  label,
}: {
  action: (prev: unknown, f: FormData) => Promise<ActionResult<T>>;
  hidden: Record<string, string>;
  impact: ReactNode;
  blocked?: boolean;
  label: string;
}) {
  const [state, run, pending] = useActionState<ActionState<T>, FormData>(action, null);
  const t = useTranslations('adminCommon.confirmDelete');
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(run)} noValidate className="space-y-3">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <div className="text-sm text-slate-800">{impact}</div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          name="confirm"
          value="yes"
          disabled={blocked}
          aria-describedby={errors.confirm ? 'confirm-error' : undefined}
        />
        {t('confirm')}
      </label>
      {errors.confirm ? (
        <p id="confirm-error" className="text-sm font-medium text-red-700">
          {errors.confirm}
        </p>
      ) : null}
      {state && !state.ok && !errors.confirm ? <Alert title={t('notDeleted')}>{state.error}</Alert> : null}
      <Button type="submit" variant="danger" disabled={pending || blocked} aria-busy={pending}>
        {pending ? t('deleting') : label}
      </Button>
    </form>
  );
}
