import type { OrderStatus } from '@/db/schema';

type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export const ORDER_STATUS: Record<OrderStatus, { label: string; tone: Tone; hint: string }> = {
  pending: { label: 'Waiting for a drone', tone: 'warning', hint: 'We are assigning a drone to your order.' },
  processing: { label: 'On its way', tone: 'info', hint: 'A drone is carrying your parcel to the locker.' },
  delivered: { label: 'Ready for pickup', tone: 'success', hint: 'Your parcel is in the locker. Show your pickup code at the locker.' },
  completed: { label: 'Collected', tone: 'neutral', hint: 'You collected this parcel.' },
  cancelled: { label: 'Cancelled', tone: 'danger', hint: 'This order was cancelled.' },
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
