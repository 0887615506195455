import { env } from '@/env';
import type { Db } from '@/db';
import {
  insertAlertAcknowledgement,
  listAlerts,
  type Alert,
  type AlertThresholds,
  type ClosedAutomat,
} from '@/db/queries/alerts';
import { invalidTransition } from '@/lib/errors';
import type { AlertAcknowledgeInput } from '@/lib/validation/alerts';
import { recordAudit, type AuditContext } from './audit';

export function alertThresholds(): AlertThresholds {
  const e = env();
  return {
    lowBattery: e.ALERT_LOW_BATTERY,
    stuckDeliveryMin: e.ALERT_STUCK_DELIVERY_MIN,
    pendingOrderMin: e.ALERT_PENDING_ORDER_MIN,
    automatSilentMin: e.ALERT_AUTOMAT_SILENT_MIN,
  };
}

/** Where an alert's object is handled in the portal. */
export function alertHref(a: Pick<Alert, 'objectType' | 'objectId'>): string {
  if (a.objectType === 'order') return `/admin/orders/${a.objectId}`;
  return `/admin?${a.objectType}=${a.objectId}`;
}

export type AlertJson = {
  kind: string;
  severity: 'warning' | 'critical';
  object_type: string;
  object_id: string;
  /** English; pages word the alert from kind, label and value in their language. */
  title: string;
  detail: string;
  label: string;
  value: string | null;
  since: string | null;
  href: string;
  acknowledgement: { by: string; at: string; note: string } | null;
};
export type ClosedLockerJson = { id: string; city: string; address: string; last_seen_at: string | null; href: string };
export type AlertThresholdsJson = {
  low_battery: number;
  stuck_delivery_min: number;
  pending_order_min: number;
  automat_silent_min: number;
};
export type AlertsResponse = {
  /** The limits the alerts are raised at, for wording them ("at 20% or less"). */
  thresholds: AlertThresholdsJson;
  alerts: AlertJson[];
  closed_lockers: ClosedLockerJson[];
  /** total and critical count open alerts only: an acknowledged one no longer asks for attention. */
  counts: { total: number; critical: number; acknowledged: number };
};

/** The alerts page's data, as the page renders it and as GET /api/admin/alerts answers it. */
export function alertsResponse(
  alerts: Alert[],
  closed: ClosedAutomat[],
  t: AlertThresholds = alertThresholds(),
): AlertsResponse {
  const open = alerts.filter((a) => !a.acknowledgement);
  return {
    thresholds: {
      low_battery: t.lowBattery,
      stuck_delivery_min: t.stuckDeliveryMin,
      pending_order_min: t.pendingOrderMin,
      automat_silent_min: t.automatSilentMin,
    },
    alerts: alerts.map((a) => ({
      kind: a.kind,
      severity: a.severity,
      object_type: a.objectType,
      object_id: a.objectId,
      title: a.title,
      detail: a.detail,
      label: a.label,
      value: a.value,
      since: a.since,
      href: alertHref(a),
      acknowledgement: a.acknowledgement,
    })),
    closed_lockers: closed.map((c) => ({
      id: c.id,
      city: c.city,
      address: c.address,
      last_seen_at: c.lastSeenAt,
      href: `/admin/automats/${c.id}`,
    })),
    counts: {
      total: open.length,
      critical: open.filter((a) => a.severity === 'critical').length,
      acknowledged: alerts.length - open.length,
    },
  };
}

/**
 * Acknowledges an alert that is active now, with the operator's note: the acknowledgement and
 * its audit row are written in one transaction. It covers the alert until its condition
 * changes (see listAlerts: until the onset moves past it). An alert that has cleared meanwhile
 * is refused, so a note never lands on a condition nobody saw. Acknowledging again adds a
 * newer note; the history keeps every one.
 */
export async function acknowledgeAlert(
  db: Db,
  ctx: AuditContext,
  { thresholds, input }: { thresholds: AlertThresholds; input: AlertAcknowledgeInput },
) {
  return db.transaction(async (tx) => {
    const alert = (await listAlerts(tx, thresholds)).find(
      (a) => a.kind === input.kind && a.objectId === input.object_id,
    );
    if (!alert)
      throw invalidTransition(
        'This alert has cleared meanwhile: nothing to acknowledge. The list now shows what is current.',
      );
    const ack = await insertAlertAcknowledgement(tx, {
      kind: alert.kind,
      objectId: alert.objectId,
      conditionSince: alert.onset,
      note: input.note,
      userId: ctx.userId,
    });
    await recordAudit(tx, ctx, {
      action: 'alert.acknowledged',
      resourceType: alert.objectType,
      resourceId: alert.objectId,
      before: alert.acknowledgement
        ? { acknowledged: true, note: alert.acknowledgement.note }
        : { acknowledged: false },
      after: { acknowledged: true, note: input.note },
      details: { kind: alert.kind, title: alert.title, condition_since: alert.onset, acknowledgement_id: ack.id },
    });
    return { id: ack.id, acknowledgedAt: ack.acknowledgedAt };
  });
}
