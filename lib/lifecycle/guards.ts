import type { CellStatus, OrderStatus } from '@/db/schema';
import { ADMIN_CANCELLABLE_ORDER_STATUSES, EMPTY_CELL_STATUSES, IN_LOCKER_ORDER_STATUSES } from '@/db/statuses';

// The questions pages and components ask about a status, answered once, by the domain. The
// server checks the same guards before it writes, so a button is shown exactly when the action
// would be accepted. Client-safe: only constants and types.

const has = <T extends string>(set: readonly T[], value: string): value is T =>
  (set as readonly string[]).includes(value);

/** A customer may cancel their own order only while it waits for a drone (no drone has taken it yet). */
export const canCancelAsCustomer = (order: { status: OrderStatus }) => order.status === 'pending';

/** An operator may cancel an order that is waiting for a drone or on its way (not one in a locker or finished). */
export const canCancelAsAdmin = (order: { status: OrderStatus }) => has(ADMIN_CANCELLABLE_ORDER_STATUSES, order.status);

/** A cell with no parcel in it or promised to it: an operator may put it under maintenance or delete it. */
export const isEmptyCell = (cell: { status: CellStatus | string }) => has(EMPTY_CELL_STATUSES, cell.status);

/** Staff may hand over by hand a parcel that waits in its pickup cell (delivered, not collected). */
export const canForcePickup = (order: { status: OrderStatus }) => order.status === 'delivered';

/** The parcel reached the locker (it is in its pickup cell, or was collected from it). */
export const isInLocker = (order: { status: OrderStatus }) => has(IN_LOCKER_ORDER_STATUSES, order.status);

/** The pickup cell's number, once it means something to a person: the parcel is, or was, in it. */
export const revealedCellNumber = (order: { status: OrderStatus; cellNumber: number | null }) =>
  order.cellNumber !== null && isInLocker(order) ? order.cellNumber : null;
