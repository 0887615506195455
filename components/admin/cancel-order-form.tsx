'use client';

import { useActionState } from 'react';
import { cancelOrderAsAdminAction } from '@/app/admin/actions';
import { Alert } from '@/components/ui/alert';
import { submitTo } from '@/components/ui/use-form-action';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

export function CancelOrderForm({ orderId, processing }: { orderId: string; processing: boolean }) {
  const [state, action, pending] = useActionState<ActionState<{ status: string }>, FormData>(cancelOrderAsAdminAction, null);
  const fe = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="order_id" value={orderId} />
      <p className="text-sm text-slate-700">
        {processing ? 'The drone on the way is released and its delivery ends as failed. ' : ''}Stock and cells come back. The customer is notified with this reason, and it goes into the timeline and the audit log: write it for the customer.
      </p>
      <TextField id="reason" name="reason" label="Reason" required error={fe.reason} />
      <div role="status" aria-live="polite">
        {state?.ok ? <Alert tone="success">The order is cancelled.</Alert> : null}
        {state && !state.ok ? <Alert title="Not cancelled">{state.error}</Alert> : null}
      </div>
      <Button type="submit" variant="danger" disabled={pending} aria-busy={pending}>
        {pending ? 'Cancelling…' : 'Cancel order'}
      </Button>
    </form>
  );
}
