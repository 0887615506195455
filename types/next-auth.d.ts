import type { UserRole } from '@/db/schema';
import 'next-auth';
import 'next-auth/jwt';

declare module 'next-auth' {
  interface Session {
    user: { id: string; name: string; email: string | null; phoneNumber: string | null; role: UserRole };
    /** The database could not be reached to check this session (answered 503, never signed out). */
    unverified?: true;
  }
  interface User {
    id: string;
    role: UserRole;
    phoneNumber: string | null;
    sessionVersion: number;
  }
}

declare module 'next-auth/jwt' {
  interface JWT {
    role?: UserRole;
    phoneNumber?: string | null;
    /** users.session_version when the session was issued; an older one is refused. */
    sv?: number;
    /** Set for one read when the database was unreachable; never trusted as a signed-in user. */
    unverified?: true;
  }
}
