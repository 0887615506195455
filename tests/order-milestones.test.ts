import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrderDetail, TimelineEntry } from '@/db/queries/orders';
import { customerMilestones, PICKUP_HOLD_MS } from '@/lib/orders/milestones';
import { orderDetailJson } from '@/lib/orders/present';

// The customer's order page shows milestones, not the operator's timeline.

const T0 = new Date('2026-11-27T12:00:00.000Z');
const at = (min: number) => new Date(T0.getTime() + min * 60_000);
let id = 0;
const ev = ({
  min,
  event,
  entity,
  actorType,
  details = {},
}: {
  min: number;
  event: string;
  entity: 'order' | 'delivery';
  actorType: string;
  details?: Record<string, unknown>;
}): TimelineEntry => ({
  id: ++id,
  event,
  entity,
  fromStatus: null,
  toStatus: null,
  actorType,
  details,
  createdAt: at(min),
});
const dispatchReason = {
  drone_id: randomUUID(),
  distance_m: 830,
  battery_level: 88,
  internal_cell_number: 2,
  reason: 'Nearest idle drone with battery above 30% seen in the last 30 s',
};
const assigned = (min: number) => [
  ev({ min, event: 'assigned', entity: 'delivery', actorType: 'worker', details: dispatchReason }),
  ev({ min, event: 'assigned', entity: 'order', actorType: 'worker' }),
];

/** Every event a delivered-and-collected order has, with one failed attempt before. */
const fullHistory: TimelineEntry[] = [
  ev({
    min: 0,
    event: 'created',
    entity: 'order',
    actorType: 'customer',
    details: { good: 'Kettle', stock_left: 3, cell_number: 4 },
  }),
  ...assigned(1),
  ev({ min: 2, event: 'started', entity: 'delivery', actorType: 'drone' }),
  ev({ min: 3, event: 'failed', entity: 'delivery', actorType: 'drone', details: { reason: 'low battery' } }),
  ev({
    min: 3,
    event: 'requeued',
    entity: 'order',
    actorType: 'system',
    details: { reason: 'low battery', attempt: 1, max_attempts: 3 },
  }),
  ...assigned(5),
  ev({ min: 6, event: 'started', entity: 'delivery', actorType: 'drone' }),
  ev({ min: 12, event: 'dropped', entity: 'delivery', actorType: 'drone' }),
  ev({ min: 14, event: 'transferred', entity: 'delivery', actorType: 'automat' }),
  ev({ min: 14, event: 'in_locker', entity: 'order', actorType: 'automat', details: { cell_number: 4 } }),
  ev({ min: 90, event: 'collected', entity: 'order', actorType: 'customer', details: { cell_number: 4 } }),
];
const upTo = (min: number) => fullHistory.filter((e) => e.createdAt <= at(min));
const keys = (ms: ReturnType<typeof customerMilestones>) =>
  ms.map((m) => `${m.key}:${m.at ? (m.at.getTime() - T0.getTime()) / 60_000 : '-'}`);

describe('customer milestones', () => {
  it('pending: placed, the rest still to come', () => {
    expect(keys(customerMilestones({ status: 'pending', createdAt: T0 }, upTo(0)))).toEqual([
      'placed:0',
      'on_the_way:-',
      'in_locker:-',
      'collected:-',
    ]);
    // Requeued after a failed attempt: the drone is no longer on its way.
    expect(keys(customerMilestones({ status: 'pending', createdAt: T0 }, upTo(4)))).toEqual([
      'placed:0',
      'on_the_way:-',
      'in_locker:-',
      'collected:-',
    ]);
  });

  it('processing: one "on its way" at the latest assignment, however many events and attempts', () => {
    expect(keys(customerMilestones({ status: 'processing', createdAt: T0 }, upTo(7)))).toEqual([
      'placed:0',
      'on_the_way:5',
      'in_locker:-',
      'collected:-',
    ]);
  });

  it('delivered: in the locker until the pickup deadline, with the cell', () => {
    const ms = customerMilestones({ status: 'delivered', createdAt: T0 }, upTo(20));
    expect(keys(ms)).toEqual(['placed:0', 'on_the_way:5', 'in_locker:14', 'collected:-']);
    expect(ms[2]).toMatchObject({ until: new Date(at(14).getTime() + PICKUP_HOLD_MS), cellNumber: 4 });
  });

  it('completed: four milestones out of thirteen events', () => {
    const ms = customerMilestones({ status: 'completed', createdAt: T0 }, fullHistory);
    expect(fullHistory).toHaveLength(13);
    expect(keys(ms)).toEqual(['placed:0', 'on_the_way:5', 'in_locker:14', 'collected:90']);
  });

  it('cancelled: placed and cancelled with its reason; the customer’s own cancellation says so instead', () => {
    const bySystem = [
      ...upTo(4),
      ev({
        min: 20,
        event: 'cancelled',
        entity: 'order',
        actorType: 'system',
        details: {
          reason: 'Delivery failed 3 times (last: rotor fault)',
          stock_restored: 1,
        },
      }),
    ];
    expect(customerMilestones({ status: 'cancelled', createdAt: T0 }, bySystem)).toEqual([
      { key: 'placed', at: T0, until: null, cellNumber: null, reason: null, byCustomer: false, callSign: null },
      {
        key: 'cancelled',
        at: at(20),
        until: null,
        cellNumber: null,
        reason: 'Delivery failed 3 times (last: rotor fault)',
        byCustomer: false,
        callSign: null,
      },
    ]);
    const byCustomer = [
      ...upTo(0),
      ev({
        min: 1,
        event: 'cancelled',
        entity: 'order',
        actorType: 'customer',
        details: { reason: 'Cancelled by the customer' },
      }),
    ];
    expect(customerMilestones({ status: 'cancelled', createdAt: T0 }, byCustomer)[1]).toMatchObject({
      key: 'cancelled',
      reason: null,
      byCustomer: true,
    });
  });

  it('names the drone on its way by its call sign, once a drone has the order', () => {
    expect(
      customerMilestones({ status: 'completed', createdAt: T0, droneCallSign: 'D-03' }, fullHistory)[1],
    ).toMatchObject({ key: 'on_the_way', callSign: 'D-03' });
    expect(
      customerMilestones({ status: 'processing', createdAt: T0, droneCallSign: 'D-07' }, upTo(7))[1],
    ).toMatchObject({ key: 'on_the_way', callSign: 'D-07' });
    // Still waiting for a drone: a call sign of an earlier, failed attempt is not shown.
    expect(customerMilestones({ status: 'pending', createdAt: T0, droneCallSign: 'D-07' }, upTo(4))[1]).toMatchObject({
      key: 'on_the_way',
      callSign: null,
    });
    expect(orderDetailJson({ ...detailOf('delivered'), droneCallSign: 'D-11' }).milestones[1]).toMatchObject({
      key: 'on_the_way',
      call_sign: 'D-11',
    });
  });

  it('never more than five, whatever the history', () => {
    const noisy = [
      ...fullHistory,
      ...assigned(91),
      ...assigned(92),
      ev({ min: 93, event: 'reopened', entity: 'order', actorType: 'admin', details: { reason: 'retry' } }),
    ];
    for (const status of ['pending', 'processing', 'delivered', 'completed', 'cancelled'] as const) {
      expect(customerMilestones({ status, createdAt: T0 }, noisy).length, status).toBeLessThanOrEqual(5);
    }
  });
});

describe('the customer JSON of an order', () => {
  const detail: OrderDetail = {
    id: randomUUID(),
    status: 'completed',
    createdAt: T0,
    updatedAt: at(90),
    good: { id: randomUUID(), name: 'Kettle', weight: 1, height: 10, length: 20, width: 15 },
    automat: { id: randomUUID(), city: 'Moscow', address: 'Red Square, 1', lat: 55.7558, lon: 37.6173 },
    cellNumber: 4,
    pickupPin: null,
    timeline: fullHistory,
    tracking: null,
  };

  it('carries the milestones, and its timeline leaves out the dispatcher’s reasoning (the drone stays)', () => {
    const json = orderDetailJson(detail);
    expect(json.milestones.map((m) => m.key)).toEqual(['placed', 'on_the_way', 'in_locker', 'collected']);
    expect(json.milestones[2]).toMatchObject({
      at: at(14).toISOString(),
      until: new Date(at(14).getTime() + PICKUP_HOLD_MS).toISOString(),
      cell_number: 4,
    });
    expect(JSON.stringify(json)).not.toMatch(/Nearest idle drone|battery_level|distance_m|internal_cell_number/);
    expect(json.timeline.find((e) => e.event === 'assigned' && e.entity === 'delivery')?.details).toEqual({
      drone_id: dispatchReason.drone_id,
    });
    // The drone's own failure reason stays: the customer may see why an attempt failed.
    expect(json.timeline.find((e) => e.event === 'failed')?.details).toEqual({ reason: 'low battery' });
  });
});

function detailOf(status: OrderDetail['status']): OrderDetail {
  return {
    id: randomUUID(),
    status,
    createdAt: T0,
    updatedAt: at(20),
    good: { id: randomUUID(), name: 'Kettle', weight: 1, height: 10, length: 20, width: 15 },
    automat: { id: randomUUID(), city: 'Moscow', address: 'Red Square, 1', lat: 55.7558, lon: 37.6173 },
    cellNumber: 4,
    pickupPin: '042517',
    timeline: upTo(20),
    tracking: null,
  };
}
