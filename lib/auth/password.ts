import bcrypt from 'bcryptjs';

// Cost 10, as in the spec.
const COST = 10;

// Compared against when the account does not exist, so a failed sign-in takes as long
// whether or not the email is registered.
const DUMMY_HASH = bcrypt.hashSync('skypost-timing-equaliser', COST);

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const ok = await bcrypt.compare(password, hash ?? DUMMY_HASH);
  return ok && Boolean(hash);
}
