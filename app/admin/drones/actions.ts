'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { db } from '@/db';
import { runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { createDrone, deleteDrone, updateDrone } from '@/lib/admin/drones';
import { auditContext } from '@/lib/admin/request';
import { requireAdmin } from '@/lib/auth/session';
import { droneDeleteSchema, droneSchema, droneUpdateSchema } from '@/lib/validation/fleet';

// Fleet management: admin only (checked before the input is read), each change audited.
// Keys and maintenance are in app/admin/actions.ts (shared with the live map's panel).

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

export async function createDroneAction(_prev: unknown, f: FormData): Promise<ActionResult<{ id: string; model: string; callSign: string }>> {
  return runAuthorizedAction(requireAdmin, droneSchema, form(f), async (input, admin) => {
    const d = await createDrone(db, await auditContext(admin), input);
    revalidatePath('/admin/drones');
    return { id: d.id, model: d.model, callSign: d.callSign };
  });
}

export async function updateDroneAction(_prev: unknown, f: FormData): Promise<ActionResult<{ model: string; callSign: string }>> {
  return runAuthorizedAction(requireAdmin, droneUpdateSchema, form(f), async ({ drone_id, ...input }, admin) => {
    const d = await updateDrone(db, await auditContext(admin), drone_id, input);
    revalidatePath(`/admin/drones/${drone_id}`);
    return { model: d.model, callSign: d.callSign };
  });
}

export async function deleteDroneAction(_prev: unknown, f: FormData): Promise<ActionResult<{ deliveriesKept: number }>> {
  const result = await runAuthorizedAction(requireAdmin, droneDeleteSchema, form(f), async ({ drone_id }, admin) => {
    const r = await deleteDrone(db, await auditContext(admin), drone_id);
    revalidatePath('/admin/drones');
    return r;
  });
  if (result.ok) redirect('/admin/drones');
  return result;
}
