'use server';

import { revalidatePath } from 'next/cache';
import { db } from '@/db';
import { runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { auditContext } from '@/lib/admin/request';
import { changeUserRole } from '@/lib/admin/users';
import { requireAdmin } from '@/lib/auth/session';
import { userRoleSchema } from '@/lib/validation/fleet';

// User management: admin only (checked before the input is read), each change audited.

export async function changeUserRoleAction(_prev: unknown, f: FormData): Promise<ActionResult<{ role: string; changed: boolean }>> {
  return runAuthorizedAction(requireAdmin, userRoleSchema, f instanceof FormData ? f : undefined, async ({ user_id, role }, admin) => {
    const r = await changeUserRole(db, await auditContext(admin), user_id, role);
    revalidatePath(`/admin/users/${user_id}`);
    revalidatePath('/admin/users');
    return r;
  });
}
