import { useTranslations } from 'next-intl';
import { Badge } from '@/components/ui/badge';
import type { DroneState } from '@/lib/admin/drone-state';
import { DRONE_COLOURS } from './fleet-style';
import { DRONE_TONE } from './status-labels';

/** A drone's state as the lists show it, with the dot of the colour it has on the live map. */
export function DroneStateBadge({ state }: { state: DroneState }) {
  const t = useTranslations('adminFleet.droneStates');
  return (
    <Badge tone={DRONE_TONE[state]}>
      <span
        aria-hidden="true"
        className="mr-1 inline-block h-2 w-2 rounded-full"
        style={{ background: DRONE_COLOURS[state].fill }}
      />
      {t(state)}
    </Badge>
  );
}
