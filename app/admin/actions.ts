'use server';

import { z } from 'zod';
import { db } from '@/db';
import { runAction, type ActionResult } from '@/lib/actions';
import { setDroneMaintenance, issueDroneKeyAsAdmin } from '@/lib/admin/drones';
import { auditContext } from '@/lib/admin/request';
import { requireAdmin } from '@/lib/auth/session';

// Admin server actions: each one checks requireAdmin() itself and records an audit row in
// the transaction that makes the change.

export async function issueDroneKeyAction(input: { drone_id: string }): Promise<ActionResult<{ key: string }>> {
  return runAction(z.object({ drone_id: z.uuid() }), input, async ({ drone_id }) => {
    const admin = await requireAdmin();
    const key = await issueDroneKeyAsAdmin(db, await auditContext(admin), drone_id);
    return { key };
  });
}

export async function setDroneMaintenanceAction(input: { drone_id: string; maintenance: boolean }): Promise<ActionResult<{ status: string }>> {
  return runAction(z.object({ drone_id: z.uuid(), maintenance: z.boolean() }), input, async ({ drone_id, maintenance }) => {
    const admin = await requireAdmin();
    return setDroneMaintenance(db, await auditContext(admin), drone_id, maintenance);
  });
}
