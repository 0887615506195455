'use server';

import { revalidatePath } from 'next/cache';
import { db } from '@/db';
import { runAction, type ActionResult } from '@/lib/actions';
import { updateProfile } from '@/lib/accounts/register';
import { requireUser } from '@/lib/auth/session';
import { profileSchema } from '@/lib/validation/accounts';

export async function updateProfileAction(_prev: unknown, form: FormData): Promise<ActionResult<{ fullName: string; email: string | null }>> {
  return runAction(profileSchema, form, async (data) => {
    const user = await requireUser();
    const updated = await updateProfile(db, user.id, { fullName: data.full_name, email: data.email });
    revalidatePath('/', 'layout');
    return { fullName: updated.fullName, email: updated.email };
  }, { email_taken: 'email' });
}
