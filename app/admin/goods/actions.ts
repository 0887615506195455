'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { db } from '@/db';
import type { ActionResult } from '@/lib/actions';
import { runAdminAction } from '@/lib/admin/action';
import { auditContext } from '@/lib/admin/request';
import { adjustStock, createGood, deleteGood, setGoodArchived, updateGood } from '@/lib/admin/goods';
import {
  goodArchiveSchema,
  goodDeleteSchema,
  goodSchema,
  goodUpdateSchema,
  stockAdjustSchema,
} from '@/lib/validation/goods';

// Catalog management: admin only (checked in runAdminAction, before the input is read), each
// change audited; failures worded in the operator's language.

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

export async function createGoodAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ id: string; name: string }>> {
  return runAdminAction({ schema: goodSchema, input: form(f) }, async (input, admin) => {
    const g = await createGood(db, await auditContext(admin), input);
    revalidatePath('/admin/goods');
    return { id: g.id, name: g.name };
  });
}

export async function updateGoodAction(_prev: unknown, f: FormData): Promise<ActionResult<{ name: string }>> {
  return runAdminAction({ schema: goodUpdateSchema, input: form(f) }, async ({ good_id, ...input }, admin) => {
    const g = await updateGood(db, await auditContext(admin), { id: good_id, input });
    revalidatePath('/admin/goods');
    return { name: g.name };
  });
}

export async function adjustStockAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ quantityAvailable: number }>> {
  return runAdminAction({ schema: stockAdjustSchema, input: form(f) }, async ({ good_id, delta }, admin) => {
    const r = await adjustStock(db, await auditContext(admin), { id: good_id, delta });
    revalidatePath(`/admin/goods/${good_id}`);
    return r;
  });
}

export async function setGoodArchivedAction(_prev: unknown, f: FormData): Promise<ActionResult<{ archived: boolean }>> {
  return runAdminAction({ schema: goodArchiveSchema, input: form(f) }, async ({ good_id, archived }, admin) => {
    await setGoodArchived(db, await auditContext(admin), { id: good_id, archived });
    revalidatePath('/admin/goods');
    revalidatePath(`/admin/goods/${good_id}`);
    revalidatePath('/catalog');
    return { archived };
  });
}

export async function deleteGoodAction(_prev: unknown, f: FormData): Promise<ActionResult<{ deleted: true }>> {
  const result = await runAdminAction({ schema: goodDeleteSchema, input: form(f) }, async ({ good_id }, admin) => {
    const r = await deleteGood(db, await auditContext(admin), good_id);
    revalidatePath('/admin/goods');
    return r;
  });
  // The good's own page no longer exists: go to the list (outside any try/catch).
  if (result.ok) redirect('/admin/goods');
  return result;
}
