'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { db } from '@/db';
import { runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { createAutomat, createCells, deleteAutomat, deleteCell, setAutomatArchived, setCellMaintenance, updateAutomat } from '@/lib/admin/automats';
import { issueDeviceKeyAsAdmin } from '@/lib/admin/drones';
import { auditContext } from '@/lib/admin/request';
import { requireAdmin } from '@/lib/auth/session';
import { automatArchiveSchema, automatDeleteSchema, automatSchema, automatUpdateSchema, cellDeleteSchema, cellMaintenanceSchema, cellsCreateSchema } from '@/lib/validation/fleet';

// Locker management: admin only (checked before the input is read), each change audited.

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

export async function createAutomatAction(_prev: unknown, f: FormData): Promise<ActionResult<{ id: string }>> {
  const result = await runAuthorizedAction(requireAdmin, automatSchema, form(f), async (input, admin) => {
    const a = await createAutomat(db, await auditContext(admin), input);
    revalidatePath('/admin/automats');
    return { id: a.id };
  });
  // Straight to the new locker, where its cells are added.
  if (result.ok) redirect(`/admin/automats/${result.data.id}?created=1`);
  return result;
}

export async function updateAutomatAction(_prev: unknown, f: FormData): Promise<ActionResult<{ address: string }>> {
  return runAuthorizedAction(requireAdmin, automatUpdateSchema, form(f), async ({ automat_id, ...input }, admin) => {
    const a = await updateAutomat(db, await auditContext(admin), automat_id, input);
    revalidatePath(`/admin/automats/${automat_id}`);
    return { address: a.address };
  });
}

export async function setAutomatArchivedAction(_prev: unknown, f: FormData): Promise<ActionResult<{ archived: boolean }>> {
  return runAuthorizedAction(requireAdmin, automatArchiveSchema, form(f), async ({ automat_id, archived }, admin) => {
    await setAutomatArchived(db, await auditContext(admin), automat_id, archived);
    revalidatePath('/admin/automats');
    revalidatePath(`/admin/automats/${automat_id}`);
    return { archived };
  });
}

export async function deleteAutomatAction(_prev: unknown, f: FormData): Promise<ActionResult<{ externalCells: number; internalCells: number }>> {
  const result = await runAuthorizedAction(requireAdmin, automatDeleteSchema, form(f), async ({ automat_id }, admin) => {
    const r = await deleteAutomat(db, await auditContext(admin), automat_id);
    revalidatePath('/admin/automats');
    return { externalCells: r.externalCells, internalCells: r.internalCells };
  });
  if (result.ok) redirect('/admin/automats');
  return result;
}

export async function issueAutomatKeyAction(input: { automat_id: string }): Promise<ActionResult<{ key: string }>> {
  return runAuthorizedAction(requireAdmin, z.object({ automat_id: z.uuid() }), input, async ({ automat_id }, admin) => {
    const key = await issueDeviceKeyAsAdmin(db, await auditContext(admin), 'automat', automat_id);
    revalidatePath(`/admin/automats/${automat_id}`);
    return { key };
  });
}

export async function createCellsAction(_prev: unknown, f: FormData): Promise<ActionResult<{ numbers: number[] }>> {
  return runAuthorizedAction(requireAdmin, cellsCreateSchema, form(f), async (input, admin) => {
    const r = await createCells(db, await auditContext(admin), input);
    revalidatePath(`/admin/automats/${input.automat_id}`);
    return { numbers: r.numbers };
  });
}

export async function setCellMaintenanceAction(input: { cell_id: string; kind: string; maintenance: boolean }): Promise<ActionResult<{ status: string }>> {
  return runAuthorizedAction(requireAdmin, cellMaintenanceSchema, input, async ({ cell_id, kind, maintenance }, admin) => {
    const r = await setCellMaintenance(db, await auditContext(admin), { kind, cellId: cell_id, maintenance });
    revalidatePath('/admin/automats', 'layout');
    return r;
  });
}

export async function deleteCellAction(input: { cell_id: string; kind: string }): Promise<ActionResult<{ numberOfCells: number }>> {
  return runAuthorizedAction(requireAdmin, cellDeleteSchema, input, async ({ cell_id, kind }, admin) => {
    const r = await deleteCell(db, await auditContext(admin), { kind, cellId: cell_id });
    revalidatePath('/admin/automats', 'layout');
    return r;
  });
}
