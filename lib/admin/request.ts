import 'server-only';
import { headers } from 'next/headers';
import type { SessionUser } from '@/lib/auth/session';
import { clientIpFromHeaders } from '@/lib/http';
import type { AuditContext } from './audit';

/** The audit context of the current admin request (server actions and route handlers). */
export async function auditContext(admin: SessionUser): Promise<AuditContext> {
  const h = await headers();
  return { userId: admin.id, userEmail: admin.email, ip: clientIpFromHeaders(h), userAgent: h.get('user-agent') };
}
