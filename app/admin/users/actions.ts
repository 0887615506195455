'use server';

import { revalidatePath } from 'next/cache';
import { db } from '@/db';
import type { ActionResult } from '@/lib/actions';
import { runAdminAction } from '@/lib/admin/action';
import { auditContext } from '@/lib/admin/request';
import { changeUserRole } from '@/lib/admin/users';
import { userRoleSchema } from '@/lib/validation/fleet';

// User management: admin only (checked in runAdminAction, before the input is read), each change audited.

export async function changeUserRoleAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ role: string; changed: boolean }>> {
  return runAdminAction(
    { schema: userRoleSchema, input: f instanceof FormData ? f : undefined },
    async ({ user_id, role }, admin) => {
      const r = await changeUserRole(db, await auditContext(admin), { userId: user_id, role });
      revalidatePath(`/admin/users/${user_id}`);
      revalidatePath('/admin/users');
      return r;
    },
  );
}
