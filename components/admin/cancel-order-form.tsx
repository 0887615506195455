'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { cancelOrderAsAdminAction } from '@/app/admin/actions';
import { Alert } from '@/components/ui/alert';
import { submitTo } from '@/components/ui/use-form-action';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

export function CancelOrderForm({ orderId, processing }: { orderId: string; processing: boolean }) {
  const [state, action, pending] = useActionState<ActionState<{ status: string }>, FormData>(
    cancelOrderAsAdminAction,
    null,
  );
  const t = useTranslations('adminOps.cancel');
  const fe = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="order_id" value={orderId} />
      <p className="text-sm text-slate-700">{processing ? t('introFlying') : t('intro')}</p>
      <TextField id="reason" name="reason" label={t('reason')} required error={fe.reason} />
      <div role="status" aria-live="polite">
        {state?.ok ? <Alert tone="success">{t('done')}</Alert> : null}
        {state && !state.ok && !fe.reason ? <Alert title={t('notDone')}>{state.error}</Alert> : null}
      </div>
      <Button type="submit" variant="secondary" disabled={pending} aria-busy={pending}>
        {pending ? t('submitting') : t('submit')}
      </Button>
    </form>
  );
}
