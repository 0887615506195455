import { describe, expect, it } from 'vitest';
import { droneState, RETURNING_MAX_AGE_MS, RETURNING_MIN_SPEED_MPS } from '@/lib/admin/drone-state';

// "Returning" is derived, not stored: an idle drone still flying (a recent reading at speed).

const now = Date.parse('2026-11-27T12:00:00Z');

describe('droneState', () => {
  it('an idle drone moving at flying speed in a recent reading is returning', () => {
    expect(droneState({ status: 'idle', speedMps: 14, lastSeenMs: now - 1000 }, now)).toBe('returning');
    expect(
      droneState({ status: 'idle', speedMps: RETURNING_MIN_SPEED_MPS, lastSeenMs: now - RETURNING_MAX_AGE_MS }, now),
    ).toBe('returning');
  });

  it('parked, hovering, silent or never seen, an idle drone is idle', () => {
    expect(droneState({ status: 'idle', speedMps: 0, lastSeenMs: now }, now)).toBe('idle');
    expect(droneState({ status: 'idle', speedMps: RETURNING_MIN_SPEED_MPS - 0.1, lastSeenMs: now }, now)).toBe('idle');
    expect(droneState({ status: 'idle', speedMps: 14, lastSeenMs: now - RETURNING_MAX_AGE_MS - 1 }, now)).toBe('idle');
    expect(droneState({ status: 'idle', speedMps: 14, lastSeenMs: null }, now)).toBe('idle');
    expect(droneState({ status: 'idle', speedMps: null, lastSeenMs: now }, now)).toBe('idle');
  });

  it('every other status is shown as it is, whatever the speed; an unknown one as offline', () => {
    for (const status of ['busy', 'charging', 'maintenance', 'offline'] as const) {
      expect(droneState({ status, speedMps: 14, lastSeenMs: now }, now)).toBe(status);
    }
    expect(droneState({ status: 'lost', speedMps: 0, lastSeenMs: now }, now)).toBe('offline');
  });
});
