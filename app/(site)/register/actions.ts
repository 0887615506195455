'use server';

import { db } from '@/db';
import { runAction, type ActionResult } from '@/lib/actions';
import { registerUser } from '@/lib/accounts/register';
import { registerSchema } from '@/lib/validation/accounts';

/** Public by nature (it creates the account); validated and rate-safe like the API route. */
export async function registerAction(_prev: unknown, form: FormData): Promise<ActionResult<{ email: string }>> {
  return runAction(registerSchema, form, async (data) => {
    const user = await registerUser(db, { fullName: data.full_name, email: data.email, password: data.password });
    return { email: user.email ?? data.email };
  }, { email_taken: 'email' });
}
