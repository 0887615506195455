'use server';

import { revalidatePath } from 'next/cache';
import { db } from '@/db';
import { runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { localizedAction } from '@/lib/admin/action-messages';
import { acknowledgeAlert, alertThresholds } from '@/lib/admin/alerts';
import { auditContext } from '@/lib/admin/request';
import { requireAdmin } from '@/lib/auth/session';
import { alertAcknowledgeSchema } from '@/lib/validation/alerts';

// Alerts: admin only (checked before the input is read); each acknowledgement audited.
// Failures are worded in the operator's language (lib/admin/action-messages.ts).

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

export async function acknowledgeAlertAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ acknowledgedAt: string }>> {
  return localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction({ authenticate: auth, schema: alertAcknowledgeSchema, input: form(f) }, (input, admin) =>
        domain(async () => {
          const r = await acknowledgeAlert(db, await auditContext(admin), { thresholds: alertThresholds(), input });
          revalidatePath('/admin/alerts');
          return { acknowledgedAt: r.acknowledgedAt.toISOString() };
        }),
      ),
    ({ error }, t) => (error.code === 'invalid_transition' ? { error: t('alertCleared') } : null),
  );
}
