'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { forcePickupAction, retryDeliveryAction } from '@/app/admin/orders/actions';
import { Alert } from '@/components/ui/alert';
import { submitTo } from '@/components/ui/use-form-action';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';
import type { RetryResult } from '@/lib/admin/orders';

// Both stay mounted after a success that hides the form (the order moved on), so the outcome
// stays on screen next to the re-rendered status and timeline.

/** `mode` null: the retry does not apply (any more); only the last outcome is shown. */
export function RetryDeliveryForm({ orderId, mode }: { orderId: string; mode: 'dispatch' | 'reopen' | null }) {
  const [state, action, pending] = useActionState<ActionState<RetryResult>, FormData>(retryDeliveryAction, null);
  const t = useTranslations('adminOps.retry');
  const fe = state && !state.ok ? state.fieldErrors : {};
  const outcome = (
    <div role="status" aria-live="polite">
      {state?.ok ? (
        <Alert tone={state.data.outcome === 'waiting' ? 'info' : 'success'} title={t(state.data.outcome)}>
          {state.data.message}
        </Alert>
      ) : null}
      {state && !state.ok && !fe.reason ? <Alert title={t('notRetried')}>{state.error}</Alert> : null}
    </div>
  );
  if (!mode) return state ? outcome : null;
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="order_id" value={orderId} />
      <p className="text-sm text-slate-700">{mode === 'reopen' ? t('reopenIntro') : t('dispatchIntro')}</p>
      <TextField
        id="retry-reason"
        name="reason"
        label={t('reason')}
        hint={t('reasonHint')}
        required
        error={fe.reason}
      />
      {outcome}
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? t('retrying') : mode === 'reopen' ? t('reopen') : t('retry')}
      </Button>
    </form>
  );
}

/** `available` false: the order is not waiting in the locker; only the last outcome is shown. */
export function ForcePickupForm({
  orderId,
  cellNumber,
  available,
}: {
  orderId: string;
  cellNumber: number | null;
  available: boolean;
}) {
  const [state, action, pending] = useActionState<ActionState<{ status: string; cellNumber: number | null }>, FormData>(
    forcePickupAction,
    null,
  );
  const t = useTranslations('adminOps.pickup');
  const fe = state && !state.ok ? state.fieldErrors : {};
  const outcome = (
    <div role="status" aria-live="polite">
      {state?.ok ? (
        <Alert tone="success">
          {state.data.cellNumber ? t('doneCell', { cell: state.data.cellNumber }) : t('done')}
        </Alert>
      ) : null}
      {state && !state.ok && !fe.reason ? <Alert title={t('notDone')}>{state.error}</Alert> : null}
    </div>
  );
  if (!available) return state ? outcome : null;
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="order_id" value={orderId} />
      <p className="text-sm text-slate-700">{cellNumber ? t('introCell', { cell: cellNumber }) : t('intro')}</p>
      <TextField
        id="pickup-reason"
        name="reason"
        label={t('reason')}
        hint={t('reasonHint')}
        required
        error={fe.reason}
      />
      {outcome}
      <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
