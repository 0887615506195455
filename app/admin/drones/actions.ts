'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { db } from '@/db';
import { runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { localizedAction, type Wording } from '@/lib/admin/action-messages';
import { createDrone, deleteDrone, updateDrone } from '@/lib/admin/drones';
import { auditContext } from '@/lib/admin/request';
import { requireAdmin } from '@/lib/auth/session';
import { droneDeleteSchema, droneSchema, droneUpdateSchema } from '@/lib/validation/fleet';

// Fleet management: admin only (checked before the input is read), each change audited.
// Keys and maintenance are in app/admin/actions.ts (shared with the live map's panel).
// Failures are worded in the operator's language (lib/admin/action-messages.ts).

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

/** A taken call sign, or none left to give: said at the call sign field. */
const callSignWording =
  (typed: unknown): Wording =>
  ({ error }, t) => {
    if (error.code !== 'conflict' || !error.fields?.call_sign) return null;
    const sign = typeof typed === 'string' && typed.trim() ? typed.trim().toUpperCase() : null;
    const message = sign ? t('callSignTaken', { callSign: sign }) : t('noFreeCallSign');
    return { error: message, fieldErrors: { call_sign: message } };
  };

export async function createDroneAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ id: string; model: string; callSign: string }>> {
  return localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction({ authenticate: auth, schema: droneSchema, input: form(f) }, (input, admin) =>
        domain(async () => {
          const d = await createDrone(db, await auditContext(admin), input);
          revalidatePath('/admin/drones');
          return { id: d.id, model: d.model, callSign: d.callSign };
        }),
      ),
    callSignWording(form(f)?.get('call_sign')),
  );
}

export async function updateDroneAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ model: string; callSign: string }>> {
  return localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction(
        { authenticate: auth, schema: droneUpdateSchema, input: form(f) },
        ({ drone_id, ...input }, admin) =>
          domain(async () => {
            const d = await updateDrone(db, await auditContext(admin), { id: drone_id, input });
            revalidatePath(`/admin/drones/${drone_id}`);
            return { model: d.model, callSign: d.callSign };
          }),
      ),
    callSignWording(form(f)?.get('call_sign')),
  );
}

export async function deleteDroneAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ deliveriesKept: number }>> {
  const result = await localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction({ authenticate: auth, schema: droneDeleteSchema, input: form(f) }, ({ drone_id }, admin) =>
        domain(async () => {
          const r = await deleteDrone(db, await auditContext(admin), drone_id);
          revalidatePath('/admin/drones');
          return r;
        }),
      ),
    ({ error }, t) => (error.code === 'invalid_transition' ? { error: t('droneBusyDelete') } : null),
  );
  if (result.ok) redirect('/admin/drones');
  return result;
}
