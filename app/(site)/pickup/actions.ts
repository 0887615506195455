'use server';

import { db } from '@/db';
import { requireUser } from '@/lib/auth/session';
import { runAction, type ActionResult } from '@/lib/actions';
import { pickupQrSvg } from '@/lib/pickup/qr';
import { issuePickupCode } from '@/lib/pickup/token';
import { z } from '@/lib/validation/zod';

export type PickupCodeView = { token: string; expiresAt: string; svg: string };

/** Issues a new pickup code; every earlier code stops working. */
export async function newPickupCodeAction(): Promise<ActionResult<PickupCodeView>> {
  return runAction({ schema: z.object({}), input: {}, options: { localize: true } }, async () => {
    const user = await requireUser();
    const code = await issuePickupCode(db, user.id);
    return { token: code.token, expiresAt: code.expiresAt.toISOString(), svg: await pickupQrSvg(code.token) };
  });
}
