import { env } from '@/env';
import type { Alert, AlertThresholds } from '@/db/queries/alerts';

export function alertThresholds(): AlertThresholds {
  const e = env();
  return { lowBattery: e.ALERT_LOW_BATTERY, stuckDeliveryMin: e.ALERT_STUCK_DELIVERY_MIN, pendingOrderMin: e.ALERT_PENDING_ORDER_MIN, automatSilentMin: e.ALERT_AUTOMAT_SILENT_MIN };
}

/** Where an alert's object is handled in the portal. */
export function alertHref(a: Pick<Alert, 'objectType' | 'objectId'>): string {
  if (a.objectType === 'order') return `/admin/orders/${a.objectId}`;
  return `/admin?${a.objectType}=${a.objectId}`;
}
