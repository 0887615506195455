import type { DbOrTx } from '@/db';
import { auditLogs } from '@/db/schema';

/** Who did it and from where; taken from the admin's session and the request. */
export type AuditContext = { userId: string; userEmail: string | null; ip: string | null; userAgent: string | null };

/** What an audit row can be about, with the label the log's filter shows. */
export const AUDIT_RESOURCES = {
  drone: 'Drone',
  automat: 'Parcel locker',
  cell_out: 'Pickup cell',
  cell_internal: 'Drop cell',
  good: 'Good',
  order: 'Order',
  user: 'User',
} as const;
export type AuditResource = keyof typeof AUDIT_RESOURCES;

export type AuditEntry = {
  action: string;
  resourceType: AuditResource;
  resourceId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  details?: Record<string, unknown>;
  success?: boolean;
  failureReason?: string;
};

/** Appends one audit row; call it in the transaction that makes the change. */
export async function recordAudit(db: DbOrTx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await db.insert(auditLogs).values({
    userId: ctx.userId,
    userEmail: ctx.userEmail,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    details: entry.details ?? {},
    ipAddress: ctx.ip?.slice(0, 64) ?? null,
    userAgent: ctx.userAgent?.slice(0, 1000) ?? null,
    success: entry.success ?? true,
    failureReason: entry.failureReason ?? null,
  });
}
