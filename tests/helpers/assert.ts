import { AppError } from '@/lib/errors';

/** Awaits `p` and returns the AppError it rejected with; fails if it resolved or threw anything else. */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}
