import type { Tone } from '@/components/ui/badge';
import type { CellStatus, DeliveryStatus } from '@/db/schema';
import type { DroneState } from '@/lib/admin/drone-state';

// Badge tones by status. The fleet pages take their labels from messages (adminFleet); the
// English labels here remain for the pages that still read them.

export const DRONE_TONE: Record<DroneState, Tone> = {
  idle: 'success',
  returning: 'info',
  busy: 'info',
  charging: 'warning',
  maintenance: 'neutral',
  offline: 'danger',
};

export const DELIVERY_STATUS: Record<DeliveryStatus, { label: string; tone: Tone }> = {
  pending: { label: 'Pending', tone: 'warning' },
  assigned: { label: 'Assigned', tone: 'info' },
  in_progress: { label: 'In flight', tone: 'info' },
  delivered: { label: 'Dropped', tone: 'success' },
  completed: { label: 'In pickup cell', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
};

export const CELL_STATUS: Record<CellStatus, { label: string; tone: Tone }> = {
  available: { label: 'Free', tone: 'success' },
  reserved: { label: 'Reserved', tone: 'info' },
  occupied: { label: 'Occupied', tone: 'warning' },
  maintenance: { label: 'Maintenance', tone: 'neutral' },
};
