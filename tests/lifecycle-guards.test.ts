import { describe, expect, it } from 'vitest';
import { CELL_STATUSES, ORDER_STATUSES } from '@/db/statuses';
import {
  canCancelAsAdmin,
  canCancelAsCustomer,
  canForcePickup,
  isEmptyCell,
  isInLocker,
  revealedCellNumber,
} from '@/lib/lifecycle/guards';

// The guards pages ask before they offer an action; the server asks the same ones before it
// writes (lib/admin/orders.ts, lib/admin/automats.ts). Every status is checked, so a status
// added later has to be placed on one side or the other on purpose.

describe('status guards', () => {
  it('an operator may cancel an order waiting for a drone or on its way, and no other', () => {
    const cancellable = ORDER_STATUSES.filter((status) => canCancelAsAdmin({ status }));
    expect(cancellable).toEqual(['pending', 'processing']);
  });

  it('a customer may cancel only an order no drone has taken yet', () => {
    expect(ORDER_STATUSES.filter((status) => canCancelAsCustomer({ status }))).toEqual(['pending']);
  });

  it('staff may hand over by hand only a parcel waiting in its pickup cell', () => {
    expect(ORDER_STATUSES.filter((status) => canForcePickup({ status }))).toEqual(['delivered']);
  });

  it('a cell is empty when available or under maintenance, not when reserved or occupied', () => {
    expect(CELL_STATUSES.filter((status) => isEmptyCell({ status }))).toEqual(['available', 'maintenance']);
    expect(isEmptyCell({ status: 'something-else' })).toBe(false);
  });

  it('the pickup cell number shows once the parcel is, or was, in it', () => {
    expect(ORDER_STATUSES.filter((status) => isInLocker({ status }))).toEqual(['delivered', 'completed']);
    const shown = ORDER_STATUSES.map((status) => [status, revealedCellNumber({ status, cellNumber: 4 })]);
    expect(Object.fromEntries(shown)).toEqual({
      pending: null,
      processing: null,
      delivered: 4,
      completed: 4,
      cancelled: null,
    });
    expect(revealedCellNumber({ status: 'delivered', cellNumber: null })).toBeNull();
  });
});
