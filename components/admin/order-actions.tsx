'use client';

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
  const fe = state && !state.ok ? state.fieldErrors : {};
  const outcome = (
    <div role="status" aria-live="polite">
      {state?.ok ? (
        <Alert tone={state.data.outcome === 'waiting' ? 'info' : 'success'} title={state.data.outcome === 'reopened' ? 'Reopened' : state.data.outcome === 'assigned' ? 'Drone assigned' : 'Not assigned yet'}>
          {state.data.message}
        </Alert>
      ) : null}
      {state && !state.ok && !fe.reason ? <Alert title="Not retried">{state.error}</Alert> : null}
    </div>
  );
  if (!mode) return state ? outcome : null;
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="order_id" value={orderId} />
      <p className="text-sm text-slate-700">
        {mode === 'reopen'
          ? 'The order ran out of delivery attempts and was cancelled. Reopening takes one unit of stock and a pickup cell at the same locker again, and gives it a fresh budget of attempts.'
          : 'The last delivery failed and the order waits for a drone. Retrying assigns the nearest qualifying drone now, if there is one; failed attempts so far still count.'}
      </p>
      <TextField id="retry-reason" name="reason" label="Why retry?" hint="Recorded in the timeline and the audit log." required error={fe.reason} />
      {outcome}
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? 'Retrying…' : mode === 'reopen' ? 'Reopen and retry delivery' : 'Retry delivery now'}
      </Button>
    </form>
  );
}

/** `available` false: the order is not waiting in the locker; only the last outcome is shown. */
export function ForcePickupForm({ orderId, cellNumber, available }: { orderId: string; cellNumber: number | null; available: boolean }) {
  const [state, action, pending] = useActionState<ActionState<{ status: string; cellNumber: number | null }>, FormData>(forcePickupAction, null);
  const fe = state && !state.ok ? state.fieldErrors : {};
  const outcome = (
    <div role="status" aria-live="polite">
      {state?.ok ? (
        <Alert tone="success">Handed over: the order is completed{state.data.cellNumber ? ` and cell ${state.data.cellNumber} is free again` : ''}.</Alert>
      ) : null}
      {state && !state.ok && !fe.reason ? <Alert title="Not completed">{state.error}</Alert> : null}
    </div>
  );
  if (!available) return state ? outcome : null;
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="order_id" value={orderId} />
      <p className="text-sm text-slate-700">
        For when the customer cannot open the locker (e.g. the kiosk is out of order): staff take the parcel{cellNumber ? ` out of cell ${cellNumber}` : ''} and hand it over. The order is
        completed and the cell freed.
      </p>
      <TextField id="pickup-reason" name="reason" label="Why hand it over?" hint="Recorded in the timeline and the audit log." required error={fe.reason} />
      {outcome}
      <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
        {pending ? 'Completing…' : 'Hand over and complete pickup'}
      </Button>
    </form>
  );
}
