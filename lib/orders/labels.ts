import type { OrderStatus } from '@/db/schema';

type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

// Operator pages' labels; the customer's pages say these in the reader's language
// (messages/*/orders.json "status", tracking.json "hint").
export const ORDER_STATUS: Record<OrderStatus, { label: string; tone: Tone }> = {
  pending: { label: 'Waiting for a drone', tone: 'warning' },
  processing: { label: 'On its way', tone: 'info' },
  delivered: { label: 'Ready for pickup', tone: 'success' },
  completed: { label: 'Collected', tone: 'neutral' },
  cancelled: { label: 'Cancelled', tone: 'danger' },
};

/** Human text for a timeline event (delivery_events.event). */
export function eventLabel(event: string, details: Record<string, unknown>): string {
  const cell = typeof details.cell_number === 'number' ? details.cell_number : null;
  switch (event) {
    case 'created':
      return 'Order placed';
    case 'assigned':
      return 'Drone assigned';
    case 'started':
      return 'In flight';
    case 'dropped':
      return 'Dropped at the locker';
    case 'transferred':
      return 'Moved to the pickup cell';
    case 'in_locker':
      return cell ? `In the locker, cell ${cell}` : 'In the locker';
    case 'collected':
      return details.forced ? 'Handed over by staff' : 'Collected';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return 'Delivery attempt failed';
    case 'requeued':
      return 'Waiting for another drone';
    case 'reopened':
      return 'Reopened for another delivery attempt';
    case 'dispatch_requested':
      return 'Sent for dispatch again';
    default:
      return event.replaceAll('_', ' ');
  }
}
