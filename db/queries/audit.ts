import 'server-only';
import { and, desc, eq, gte, ilike, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { likeContains } from '../sql';
import { auditLogs } from '../schema';

export type AuditFilter = {
  action?: string;
  resourceType?: string;
  user?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
};

export async function listAuditLogs(db: DbOrTx, f: AuditFilter) {
  const where = and(
    f.action ? eq(auditLogs.action, f.action) : undefined,
    f.resourceType ? eq(auditLogs.resourceType, f.resourceType) : undefined,
    f.user ? ilike(auditLogs.userEmail, likeContains(f.user)) : undefined,
    f.from ? gte(auditLogs.timestamp, f.from) : undefined,
    f.to ? lt(auditLogs.timestamp, f.to) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(auditLogs)
      .where(where)
      .orderBy(desc(auditLogs.timestamp), desc(auditLogs.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLogs)
      .where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function listAuditActions(db: DbOrTx): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLogs.action }).from(auditLogs).orderBy(auditLogs.action);
  return rows.map((r) => r.action);
}
