'use server';

import { revalidatePath } from 'next/cache';
import { z } from '@/lib/validation/zod';
import { db } from '@/db';
import { runAction, runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { updateProfile } from '@/lib/accounts/register';
import { changePassword, revokeSessions } from '@/lib/accounts/sessions';
import { requireUser } from '@/lib/auth/session';
import { profileSchema } from '@/lib/validation/accounts';
import { changePasswordSchema } from '@/lib/validation/auth';

export async function updateProfileAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ fullName: string; email: string | null }>> {
  return runAction(
    { schema: profileSchema, input: form, options: { fieldFor: { email_taken: 'email' }, localize: true } },
    async (data) => {
      const user = await requireUser();
      const updated = await updateProfile(db, user.id, { fullName: data.full_name, email: data.email });
      revalidatePath('/', 'layout');
      return { fullName: updated.fullName, email: updated.email };
    },
  );
}

/** Changes the password; every session, this one included, is signed out (the form signs in again). */
export async function changePasswordAction(
  _prev: unknown,
  form: FormData,
): Promise<ActionResult<{ email: string | null }>> {
  return runAuthorizedAction(
    {
      authenticate: requireUser,
      schema: changePasswordSchema,
      input: form,
      options: { localize: { errors: { invalid_transition: 'validation.actions.noPassword' } } },
    },
    async (data, user) => {
      await changePassword(db, user.id, { currentPassword: data.current_password, newPassword: data.new_password });
      return { email: user.email };
    },
  );
}

/** Signs the account out on every device (session_version bump); the caller then clears its own cookie. */
export async function signOutEverywhereAction(): Promise<ActionResult<{ signedOut: true }>> {
  return runAuthorizedAction(
    { authenticate: requireUser, schema: z.object({}), input: {}, options: { localize: true } },
    async (_data, user) => {
      await revokeSessions(db, user.id);
      return { signedOut: true as const };
    },
  );
}
