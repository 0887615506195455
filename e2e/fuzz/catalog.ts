import { randomUUID } from 'node:crypto';
import { z, type ZodType } from 'zod';
import { phoneCodeRequestSchema, profileSchema, registerSchema } from '@/lib/validation/accounts';
import { adminCancelSchema, adminForcePickupSchema, adminRetryDeliverySchema } from '@/lib/validation/admin-orders';
import { deliveryEventSchema, heartbeatSchema, scanSchema, transferSchema } from '@/lib/validation/device-api';
import { pushTokenSchema } from '@/lib/validation/push-tokens';
import { staffPinSetSchema, staffSessionSchema } from '@/lib/validation/kiosk';
import {
  automatArchiveSchema,
  automatDeleteSchema,
  automatSchema,
  automatUpdateSchema,
  cellDeleteSchema,
  cellMaintenanceSchema,
  cellsCreateSchema,
  droneDeleteSchema,
  droneSchema,
  droneUpdateSchema,
  userRoleSchema,
} from '@/lib/validation/fleet';
import {
  goodArchiveSchema,
  goodDeleteSchema,
  goodSchema,
  goodUpdateSchema,
  stockAdjustSchema,
} from '@/lib/validation/goods';
import { alertAcknowledgeSchema } from '@/lib/validation/alerts';
import { fleetQuerySchema } from '@/lib/validation/fleet-feed';
import { notificationListQuerySchema } from '@/lib/validation/notifications';
import { setLocaleSchema } from '@/lib/validation/locale';
import { createOrderSchema } from '@/lib/validation/orders';
import { changePasswordSchema } from '@/lib/validation/auth';
import { telemetryBodySchema } from '@/lib/validation/telemetry';
import type { World } from './world';

// One fuzz entry per route method and per server action, keyed exactly as the enumeration
// in surface.ts names them: the suite fails when the code has an endpoint without an entry
// here (or an entry for an endpoint that is gone). Each entry says which role reaches the
// validation path, which schema guards the input, and which path ids are the caller's own.

export type Role = 'anonymous' | 'customer' | 'admin' | 'drone' | 'automat';
type Samples = (w: World) => Record<string, unknown>[];

export type RouteEntry = {
  role: Role;
  /** Path parameters: the caller's own object (validation is reached) and another's. */
  params?: Record<string, { own: (w: World) => string; other: (w: World) => string }>;
  /** A JSON body guarded by this schema; only inputs it rejects are sent. */
  body?: { schema: ZodType; samples: Samples; anyValueIsRefused?: boolean };
  /** The query parameters the handler reads, and their schema. */
  query?: { schema: ZodType; keys: string[] };
  /** Statuses of a request that is valid apart from what the handler ignores (junk query, unused body). */
  success: number[];
  /** A valid authenticated call changes data by design (e.g. issuing a new pickup code): fuzzed after the checksum. */
  writesWhenValid?: boolean;
  /** next-auth's own endpoints (third-party): any non-5xx answer is accepted. */
  nextAuth?: boolean;
  /** Any device key is valid here (drone or locker): only session cookies count as the wrong credentials. */
  anyDevice?: boolean;
};

export type ActionEntry = {
  role: Role;
  /** How the action takes its input: a plain object, `(prevState, FormData)`, or nothing. */
  arg: 'object' | 'form' | 'none';
  schema: ZodType;
  samples: Samples;
  /** `(prev, form)` actions that read only FormData (admin forms ignore a plain object). */
  formOnly?: boolean;
  writesWhenValid?: boolean;
};

const uuid = () => randomUUID();

export const ROUTES: Record<string, RouteEntry> = {
  'GET /api/admin/alerts': { role: 'admin', success: [200] },
  'GET /api/admin/automats/[automatId]/cells': {
    role: 'admin',
    params: { automatId: { own: (w) => w.automats.A.id, other: () => uuid() } },
    success: [200],
  },
  'GET /api/admin/drones/[droneId]': {
    role: 'admin',
    params: { droneId: { own: (w) => w.drones.A.id, other: () => uuid() } },
    success: [200],
  },
  'GET /api/admin/fleet': { role: 'admin', query: { schema: fleetQuerySchema, keys: ['since'] }, success: [200] },
  'GET /api/auth/[...nextauth]': { role: 'anonymous', success: [], nextAuth: true },
  'POST /api/auth/[...nextauth]': { role: 'anonymous', success: [], nextAuth: true },
  'POST /api/auth/phone/code': {
    role: 'anonymous',
    body: {
      schema: phoneCodeRequestSchema,
      samples: () => [{ phone_number: '+15550100200', full_name: 'Fuzz Phone' }, { phone_number: '+15550100201' }],
    },
    success: [],
  },
  'POST /api/auth/register': {
    role: 'anonymous',
    body: {
      schema: registerSchema,
      samples: () => [
        { full_name: 'Fuzz Register', email: 'fuzz.register@example.com', password: 'long-enough-password' },
      ],
    },
    success: [],
  },
  'GET /api/automats/[automatId]/expected': {
    role: 'automat',
    params: { automatId: { own: (w) => w.automats.A.id, other: (w) => w.automats.B.id } },
    success: [200],
  },
  'POST /api/automats/[automatId]/heartbeat': {
    role: 'automat',
    params: { automatId: { own: (w) => w.automats.A.id, other: (w) => w.automats.B.id } },
    body: { schema: heartbeatSchema, samples: () => [{ is_working: true }] },
    success: [],
  },
  'POST /api/automats/[automatId]/scan': {
    role: 'automat',
    params: { automatId: { own: (w) => w.automats.A.id, other: (w) => w.automats.B.id } },
    // Any text is schema-valid; only a genuine code of a waiting customer opens a cell, and the
    // fuzzer never sends one. The pin alternative: a 6-digit string matching nothing here.
    body: { schema: scanSchema, samples: () => [{ qr: 'skypost-fuzz' }, { pin: '000000' }], anyValueIsRefused: true },
    success: [],
  },
  'POST /api/automats/[automatId]/staff-pin': {
    role: 'automat',
    params: { automatId: { own: (w) => w.automats.A.id, other: (w) => w.automats.B.id } },
    body: { schema: staffPinSetSchema, samples: () => [{ pin: '480317' }] },
    success: [],
  },
  'POST /api/automats/[automatId]/staff-session': {
    role: 'automat',
    params: { automatId: { own: (w) => w.automats.A.id, other: (w) => w.automats.B.id } },
    // A well-formed PIN is still refused unless it is the locker's staff PIN, which the fuzzer never sends.
    body: { schema: staffSessionSchema, samples: () => [{ pin: '480317' }], anyValueIsRefused: true },
    success: [],
  },
  'POST /api/automats/[automatId]/transfer': {
    role: 'automat',
    params: { automatId: { own: (w) => w.automats.A.id, other: (w) => w.automats.B.id } },
    // Random delivery ids name nothing at this locker: schema-valid bodies are refused too (404).
    body: { schema: transferSchema, samples: () => [{ delivery_id: uuid() }], anyValueIsRefused: true },
    success: [],
  },
  'POST /api/deliveries/[deliveryId]/events': {
    role: 'drone',
    params: { deliveryId: { own: (w) => w.deliveries.assignedA, other: (w) => w.deliveries.assignedB } },
    body: {
      schema: deliveryEventSchema,
      samples: () => [{ type: 'started' }, { type: 'failed', reason: 'fuzz' }, { type: 'dropped' }],
    },
    success: [],
  },
  'GET /api/devices/me': { role: 'drone', anyDevice: true, success: [200] },
  'GET /api/drones/[droneId]/task': {
    role: 'drone',
    params: { droneId: { own: (w) => w.drones.A.id, other: (w) => w.drones.B.id } },
    success: [200],
  },
  'POST /api/drones/[droneId]/telemetry': {
    role: 'drone',
    params: { droneId: { own: (w) => w.drones.A.id, other: (w) => w.drones.B.id } },
    body: {
      schema: telemetryBodySchema,
      samples: () => [
        { lat: -41.2, lon: 174.7, battery_level: 80 },
        {
          lat: 1,
          lon: 2,
          battery_level: 3,
          altitude_m: 10,
          heading_deg: 90,
          speed_mps: 5,
          status: 'idle',
          recorded_at: new Date().toISOString(),
        },
      ],
    },
    success: [],
  },
  'GET /api/health': { role: 'anonymous', success: [200] },
  'POST /api/me/devices': {
    role: 'customer',
    body: { schema: pushTokenSchema, samples: () => [{ token: 'fuzz-fcm-token', platform: 'web' }] },
    success: [],
  },
  // A's notifications are all read before the checksum, so reading one again changes nothing.
  'POST /api/me/notifications/[notificationId]/read': {
    role: 'customer',
    params: { notificationId: { own: (w) => w.notifications.A, other: (w) => w.notifications.B } },
    success: [200],
  },
  'POST /api/me/notifications/read-all': { role: 'customer', success: [200] },
  'GET /api/me/notifications': {
    role: 'customer',
    query: { schema: notificationListQuerySchema, keys: ['limit'] },
    success: [200],
  },
  'GET /api/me/orders/[orderId]': {
    role: 'customer',
    params: { orderId: { own: (w) => w.orders.pendingA, other: (w) => w.orders.pendingB } },
    success: [200],
  },
  'GET /api/me/orders': { role: 'customer', success: [200] },
  'GET /api/me/pickup-code': { role: 'customer', success: [200] },
  'POST /api/me/pickup-code': { role: 'customer', success: [200], writesWhenValid: true },
  // A's own order that is being flown cannot be cancelled (409): a valid call changes nothing.
  'POST /api/orders/[orderId]/cancel': {
    role: 'customer',
    params: { orderId: { own: (w) => w.orders.assignedA, other: (w) => w.orders.pendingB } },
    success: [409],
  },
  'POST /api/orders': {
    role: 'customer',
    body: { schema: createOrderSchema, samples: (w) => [{ good_id: w.goodId, parcel_automat_id: w.automats.A.id }] },
    success: [],
  },
};

const id = z.object({ drone_id: z.uuid() });
const reason = 'fuzz reason';

export const ACTIONS: Record<string, ActionEntry> = {
  registerAction: {
    role: 'anonymous',
    arg: 'form',
    schema: registerSchema,
    samples: () => [{ full_name: 'Fuzz Form', email: 'fuzz.form@example.com', password: 'long-enough-password' }],
  },
  // Open to everyone; signed in, a valid call stores the account's language: fuzzed after the checksum.
  setLocaleAction: {
    role: 'customer',
    arg: 'object',
    schema: setLocaleSchema,
    samples: () => [{ locale: 'ru' }],
    writesWhenValid: true,
  },
  updateProfileAction: {
    role: 'customer',
    arg: 'form',
    schema: profileSchema,
    samples: (w) => [{ full_name: w.users.A.fullName, email: w.users.A.email }],
  },
  // The sample's current password is wrong: even a mutation the schema accepts changes nothing.
  changePasswordAction: {
    role: 'customer',
    arg: 'form',
    schema: changePasswordSchema,
    samples: () => [{ current_password: 'not-the-current-password', new_password: 'fuzz-new-password-1' }],
  },
  // Valid calls revoke the fuzzing customer's sessions: they run last, after the checksum.
  signOutEverywhereAction: {
    role: 'customer',
    arg: 'none',
    schema: z.object({}),
    samples: () => [{}],
    writesWhenValid: true,
  },
  createOrderAction: {
    role: 'customer',
    arg: 'object',
    schema: createOrderSchema,
    samples: (w) => [{ good_id: w.goodId, parcel_automat_id: w.automats.A.id }],
  },
  cancelOrderAction: {
    role: 'customer',
    arg: 'object',
    schema: z.object({ order_id: z.uuid() }),
    samples: (w) => [{ order_id: w.orders.pendingA }],
  },
  newPickupCodeAction: {
    role: 'customer',
    arg: 'none',
    schema: z.object({}),
    samples: () => [{}],
    writesWhenValid: true,
  },
  issueDroneKeyAction: { role: 'admin', arg: 'object', schema: id, samples: (w) => [{ drone_id: w.drones.A.id }] },
  setDroneMaintenanceAction: {
    role: 'admin',
    arg: 'object',
    schema: z.object({ drone_id: z.uuid(), maintenance: z.boolean() }),
    samples: (w) => [{ drone_id: w.drones.A.id, maintenance: true }],
  },
  cancelOrderAsAdminAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: adminCancelSchema,
    samples: (w) => [{ order_id: w.orders.pendingA, reason }],
  },
  createAutomatAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: automatSchema,
    samples: () => [
      {
        city: 'Fuzz',
        address: 'Fuzz 1',
        lat: '1',
        lon: '2',
        aruco_id: '999999',
        ip_address: '10.0.0.1',
        is_working: 'on',
      },
    ],
  },
  updateAutomatAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: automatUpdateSchema,
    samples: (w) => [
      {
        automat_id: w.automats.A.id,
        city: 'Fuzz',
        address: 'Fuzz 1',
        lat: '1',
        lon: '2',
        aruco_id: '999999',
        ip_address: '10.0.0.1',
        is_working: 'on',
      },
    ],
  },
  deleteAutomatAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: automatDeleteSchema,
    samples: (w) => [{ automat_id: w.automats.B.id, confirm: 'yes' }],
  },
  issueAutomatKeyAction: {
    role: 'admin',
    arg: 'object',
    schema: z.object({ automat_id: z.uuid() }),
    samples: (w) => [{ automat_id: w.automats.A.id }],
  },
  createCellsAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: cellsCreateSchema,
    samples: (w) => [
      { automat_id: w.automats.A.id, kind: 'external', count: '1', height: '1', length: '1', width: '1' },
    ],
  },
  setCellMaintenanceAction: {
    role: 'admin',
    arg: 'object',
    schema: cellMaintenanceSchema,
    samples: () => [{ cell_id: uuid(), kind: 'external', maintenance: true }],
  },
  deleteCellAction: {
    role: 'admin',
    arg: 'object',
    schema: cellDeleteSchema,
    samples: () => [{ cell_id: uuid(), kind: 'internal' }],
  },
  createDroneAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: droneSchema,
    samples: () => [{ model: 'Fuzz drone', ip_address: '10.0.0.2' }],
  },
  updateDroneAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: droneUpdateSchema,
    samples: (w) => [{ drone_id: w.drones.A.id, model: 'Fuzz drone', ip_address: '10.0.0.2' }],
  },
  deleteDroneAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: droneDeleteSchema,
    samples: (w) => [{ drone_id: w.drones.B.id, confirm: 'yes' }],
  },
  createGoodAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: goodSchema,
    samples: () => [{ name: 'Fuzz good', weight: '1', height: '1', length: '1', width: '1', quantity_available: '1' }],
  },
  updateGoodAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: goodUpdateSchema,
    samples: (w) => [{ good_id: w.goodId, name: 'Fuzz good', weight: '1', height: '1', length: '1', width: '1' }],
  },
  adjustStockAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: stockAdjustSchema,
    samples: (w) => [{ good_id: w.goodId, delta: '1' }],
  },
  deleteGoodAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: goodDeleteSchema,
    samples: (w) => [{ good_id: w.goodId, confirm: 'yes' }],
  },
  // Restoring what is not archived: a valid call that changes nothing.
  setGoodArchivedAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: goodArchiveSchema,
    samples: (w) => [{ good_id: w.goodId, archived: 'false' }],
  },
  setAutomatArchivedAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: automatArchiveSchema,
    samples: (w) => [{ automat_id: w.automats.B.id, archived: 'false' }],
  },
  // An alert that is not active (a random object): refused, nothing written.
  acknowledgeAlertAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: alertAcknowledgeSchema,
    samples: () => [{ kind: 'drone_offline', object_id: uuid(), note: 'fuzz note' }],
  },
  retryDeliveryAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: adminRetryDeliverySchema,
    samples: (w) => [{ order_id: w.orders.assignedA, reason }],
  },
  forcePickupAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: adminForcePickupSchema,
    samples: (w) => [{ order_id: w.orders.assignedA, reason }],
  },
  changeUserRoleAction: {
    role: 'admin',
    arg: 'form',
    formOnly: true,
    schema: userRoleSchema,
    samples: (w) => [{ user_id: w.users.B.id, role: 'admin' }],
  },
};
