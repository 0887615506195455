import type { z } from 'zod';
import {
  passwordSignInFormSchema,
  phoneCodeRequestSchema,
  phoneSignInFormSchema,
  registerSchema,
} from '@/lib/validation/accounts';
import { deliveryEventSchema, heartbeatSchema, scanSchema, transferSchema } from '@/lib/validation/device-api';
import { fleetQuerySchema } from '@/lib/validation/fleet-feed';
import { staffPinSetSchema, staffSessionSchema } from '@/lib/validation/kiosk';
import { notificationListQuerySchema } from '@/lib/validation/notifications';
import { createOrderSchema } from '@/lib/validation/orders';
import { pushTokenSchema } from '@/lib/validation/push-tokens';
import {
  adminAutomatCellsSchema,
  adminDroneDetailSchema,
  alertListSchema,
  cancelOrderResponseSchema,
  createOrderConflictSchema,
  csrfTokenSchema,
  deliveryEventResponseSchema,
  deviceIdentitySchema,
  deviceResponseSchema,
  droneTaskSchema,
  emailTakenErrorSchema,
  expectedDeliveriesSchema,
  fleetAnswerSchema,
  healthDegradedSchema,
  healthOkSchema,
  heartbeatResponseSchema,
  nothingToCollectSchema,
  notificationListSchema,
  notificationReadResponseSchema,
  notificationsReadAllResponseSchema,
  orderDetailResponseSchema,
  orderListSchema,
  orderResponseSchema,
  phoneCodeResponseSchema,
  pickupCodeSchema,
  pinForbiddenSchema,
  qrExpiredSchema,
  registerResponseSchema,
  scanForbiddenSchema,
  scanResponseSchema,
  staffPinNotSetSchema,
  staffSessionResponseSchema,
  telemetryAcceptedSchema,
  transferConflictSchema,
  transferResponseSchema,
} from '@/lib/validation/responses';
import { telemetryBodyContractSchema } from '@/lib/validation/telemetry';
import { retryAfterSeconds, type HeaderName, type SharedResponseName } from './components';

// The route registry: every operation of the HTTP contract (shared/docs/api-contract.md) with
// what the document says about it and the zod schemas of its bodies. docs/openapi.yaml is
// generated from this list (lib/contract/openapi.ts), and e2e/api/openapi.spec.ts checks that
// the route files under app/api serve exactly these operations and that every real answer
// matches the schema registered for its status. Paths, fields, status codes and error codes
// are the contract's: add, never rename.

export type Method = 'get' | 'post';
/** Who may call: anyone, a signed-in session (cookie), or a device key (Bearer). */
export type Auth = 'public' | 'session' | 'device';

/** A header the answer carries: a shared header component by name, or one of its own. */
export type HeaderSpec = HeaderName | { description?: string; required: boolean; schema: z.ZodType };

export type ResponseSpec = {
  description: string;
  /** The JSON body; none for a 204 or a redirect. */
  schema?: z.ZodType;
  headers?: Record<string, HeaderSpec>;
};

export type Operation = {
  method: Method;
  /** OpenAPI form: `{param}` for a dynamic segment. */
  path: string;
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  auth: Auth;
  /**
   * `planned`: in the contract but not served yet (the API tests fail once a handler serves it,
   * until it is marked implemented). Default: implemented.
   */
  status?: 'implemented' | 'planned';
  /** Served by next-auth's catch-all route (app/api/auth/[...nextauth]/route.ts). */
  provider?: 'next-auth';
  /** The query string, as the handler parses it. */
  query?: z.ZodObject;
  request?: {
    schema: z.ZodType;
    mediaType?: 'application/json' | 'application/x-www-form-urlencoded';
    description?: string;
    /** The component this body is documented as when the schema has no `id` of its own. */
    component?: string;
  };
  /** Every status the operation answers with; error statuses name their codes through their schema. */
  responses: Record<number, ResponseSpec | SharedResponseName>;
};

/** A multi-line description, kept line for line as the document shows it. */
const text = (...lines: string[]) => lines.join('\n');

export const operations: Operation[] = [
  {
    method: 'get',
    path: '/api/health',
    operationId: 'getHealth',
    tags: ['system'],
    summary: 'Liveness and database reachability.',
    auth: 'public',
    responses: {
      200: {
        description: 'The server and its database are up.',
        schema: healthOkSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      503: {
        description: text(
          'The database did not answer within 2 s. This body is not the Error shape (probes',
          'read `status` and `db`); `Retry-After` says when to look again.',
          '',
        ),
        schema: healthDegradedSchema,
        headers: { 'Cache-Control': 'NoStore', 'Retry-After': retryAfterSeconds },
      },
    },
  },
  {
    method: 'post',
    path: '/api/auth/register',
    operationId: 'registerAccount',
    tags: ['accounts'],
    summary: 'Create a customer account with email and password.',
    description: text(
      'The email is stored lower-case; the same address in another case is the same account.',
      'Rate limited per client address (20 per hour, 100 per day; `429` with `Retry-After`).',
      '',
    ),
    auth: 'public',
    request: { schema: registerSchema, description: 'At most 8 KiB.' },
    responses: {
      201: { description: 'The account was created (role `client`).', schema: registerResponseSchema },
      400: 'ValidationFailed',
      409: {
        description: 'An account with this email already exists (`fields.email` says so).',
        schema: emailTakenErrorSchema,
      },
      413: 'PayloadTooLarge',
      429: 'RateLimited',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/auth/phone/code',
    operationId: 'requestPhoneCode',
    tags: ['accounts'],
    summary: 'Send a 6-digit sign-in code by SMS.',
    description: text(
      'The code is valid 5 minutes; the account is created on first use (with `full_name`,',
      'or a default name). A new code replaces any previous one; 5 wrong attempts void it.',
      'Rate limited per phone number (1 per 30 s, 5 per hour) and per client address',
      '(30 per hour); refused requests count too.',
      '',
    ),
    auth: 'public',
    request: { schema: phoneCodeRequestSchema, description: 'At most 4 KiB.' },
    responses: {
      200: { description: 'The code was sent.', schema: phoneCodeResponseSchema },
      400: 'ValidationFailed',
      413: 'PayloadTooLarge',
      429: 'RateLimited',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/auth/csrf',
    operationId: 'getCsrfToken',
    tags: ['accounts'],
    summary: 'next-auth CSRF token for the sign-in form posts.',
    description: 'Also sets the `next-auth.csrf-token` cookie that the token is checked against.',
    auth: 'public',
    provider: 'next-auth',
    responses: { 200: { description: 'The token to send as `csrfToken`.', schema: csrfTokenSchema } },
  },
  {
    method: 'post',
    path: '/api/auth/callback/password',
    operationId: 'signInWithPassword',
    tags: ['accounts'],
    summary: 'next-auth credentials sign-in with email and password.',
    description: text(
      'Form-encoded. Always a redirect: on success the session cookie is set; on failure',
      '`Location` carries `error=CredentialsSignin` (the same answer whether or not the',
      'account exists); a missing or wrong `csrfToken` redirects to the sign-in page with',
      '`csrf=true`.',
      'Failed sign-ins are rate limited (10 per account and 20 per client address per',
      '15 minutes, 100 per address per day; successes do not count): while a limit is',
      'reached the answer is `429 rate_limited` with `Retry-After`, and nothing is checked.',
      '',
    ),
    auth: 'public',
    provider: 'next-auth',
    request: { schema: passwordSignInFormSchema, mediaType: 'application/x-www-form-urlencoded' },
    responses: { 302: 'SignInRedirect', 429: 'RateLimited' },
  },
  {
    method: 'post',
    path: '/api/auth/callback/phone',
    operationId: 'signInWithPhoneCode',
    tags: ['accounts'],
    summary: 'next-auth credentials sign-in with phone number and SMS code.',
    description: 'Form-encoded; answers like `/api/auth/callback/password`.',
    auth: 'public',
    provider: 'next-auth',
    request: { schema: phoneSignInFormSchema, mediaType: 'application/x-www-form-urlencoded' },
    responses: { 302: 'SignInRedirect', 429: 'RateLimited' },
  },
  {
    method: 'get',
    path: '/api/me/pickup-code',
    operationId: 'getPickupCode',
    tags: ['customer'],
    summary: "The text encoded in the customer's pickup QR code.",
    description: text(
      'The current code while it has more than a minute left (the same token every time),',
      'otherwise a freshly issued one. A code lives 24 hours.',
      '',
    ),
    auth: 'session',
    responses: {
      200: {
        description: 'The current pickup code.',
        schema: pickupCodeSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      401: 'Unauthorized',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/me/pickup-code',
    operationId: 'renewPickupCode',
    tags: ['customer'],
    summary: 'Issue a new pickup code, invalidating every earlier one.',
    auth: 'session',
    responses: {
      200: { description: 'The new pickup code.', schema: pickupCodeSchema, headers: { 'Cache-Control': 'NoStore' } },
      401: 'Unauthorized',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/me/devices',
    operationId: 'registerDevice',
    tags: ['customer'],
    summary: 'Register (upsert on the token) an FCM token for push notifications.',
    description: 'A token seen again under another account moves to that account.',
    auth: 'session',
    request: { schema: pushTokenSchema, description: 'At most 8 KiB.' },
    responses: {
      200: { description: 'The device row (new or updated).', schema: deviceResponseSchema },
      400: 'ValidationFailed',
      401: 'Unauthorized',
      413: 'PayloadTooLarge',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/me/orders',
    operationId: 'listMyOrders',
    tags: ['customer'],
    summary: "The customer's orders, newest first (at most 100).",
    auth: 'session',
    responses: {
      200: { description: 'The orders.', schema: orderListSchema, headers: { 'Cache-Control': 'NoStore' } },
      401: 'Unauthorized',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/me/orders/{orderId}',
    operationId: 'getMyOrder',
    tags: ['customer'],
    summary: "One of the customer's orders with its timeline and live tracking.",
    description: text(
      "Addition to the contract (polled every 2 s by the order page). Another customer's",
      'order, an unknown id and a malformed id are all `404 not_found`.',
      '',
    ),
    auth: 'session',
    responses: {
      200: { description: 'The order.', schema: orderDetailResponseSchema, headers: { 'Cache-Control': 'NoStore' } },
      401: 'Unauthorized',
      404: 'NotFound',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/me/notifications',
    operationId: 'listMyNotifications',
    tags: ['customer'],
    summary: "The customer's notifications, newest first, with the unread count.",
    description: text(
      'Addition to the contract: the in-app notification centre (polled by the bell every',
      '5 s). Each notification is written with the status change that causes it, so it is',
      'here even when push (FCM) is off or the customer has no device registered.',
      '',
    ),
    auth: 'session',
    query: notificationListQuerySchema,
    responses: {
      200: {
        description: 'The notifications.',
        schema: notificationListSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      400: 'ValidationFailed',
      401: 'Unauthorized',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/me/notifications/{notificationId}/read',
    operationId: 'markMyNotificationRead',
    tags: ['customer'],
    summary: "Mark one of the customer's notifications read.",
    description: text(
      'Addition to the contract. No request body. Reading it again keeps the first read',
      "time. Another customer's notification is 404.",
      '',
    ),
    auth: 'session',
    responses: {
      200: { description: 'It is read; `link` is where it leads.', schema: notificationReadResponseSchema },
      401: 'Unauthorized',
      404: 'NotFound',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/me/notifications/read-all',
    operationId: 'markAllMyNotificationsRead',
    tags: ['customer'],
    summary: "Mark all of the customer's notifications read.",
    description: 'Addition to the contract. No request body.',
    auth: 'session',
    responses: {
      200: { description: 'How many were unread and are now read.', schema: notificationsReadAllResponseSchema },
      401: 'Unauthorized',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/orders',
    operationId: 'createOrder',
    tags: ['customer'],
    summary: 'Order a good to a parcel automat.',
    description: text(
      'Takes one unit of stock and reserves the smallest free pickup cell at the automat',
      'that the good fits in. A closed automat, or no free cell that fits, is',
      '`409 no_capacity`; no stock left is `409 out_of_stock`; an unknown good or automat',
      'is `404 not_found`. A customer who already has `MAX_OPEN_ORDERS` (default 5) open',
      'orders (`pending`, `processing` or `delivered`) gets `409 too_many_orders` (an',
      'addition). Refusals change nothing.',
      '',
    ),
    auth: 'session',
    request: { schema: createOrderSchema, description: 'At most 4 KiB.' },
    responses: {
      201: { description: 'The new pending order.', schema: orderResponseSchema },
      400: 'ValidationFailed',
      401: 'Unauthorized',
      404: 'NotFound',
      409: { description: '`out_of_stock`, `no_capacity` or `too_many_orders`.', schema: createOrderConflictSchema },
      413: 'PayloadTooLarge',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/orders/{orderId}/cancel',
    operationId: 'cancelOrder',
    tags: ['customer'],
    summary: "Cancel one's own pending order.",
    description: text(
      'Only while the order is `pending` and no drone is being assigned; stock and the',
      "reserved cell are released. No request body. Another customer's order is 404.",
      '',
    ),
    auth: 'session',
    responses: {
      200: { description: 'The order is cancelled.', schema: cancelOrderResponseSchema },
      401: 'Unauthorized',
      404: 'NotFound',
      409: 'InvalidTransition',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/drones/{droneId}/telemetry',
    operationId: 'postDroneTelemetry',
    tags: ['drones'],
    summary: 'One reading or up to 100 readings (oldest first).',
    description: text(
      "The drone's current position, battery and last-seen time update at once (from the",
      'newest reading; an older one never moves the drone back in time); every reading is',
      'kept in telemetry history. Drones post at 1 to 10 Hz. A drone with an active',
      'delivery stays `busy` whatever `status` it reports; without `status` a `busy` or',
      '`offline` drone becomes `idle` and any other keeps its status.',
      '',
    ),
    auth: 'device',
    request: { schema: telemetryBodyContractSchema, description: 'At most 64 KiB.' },
    responses: {
      202: { description: 'The readings were recorded.', schema: telemetryAcceptedSchema },
      400: 'ValidationFailed',
      401: 'DeviceUnauthorized',
      403: 'Forbidden',
      413: 'PayloadTooLarge',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/drones/{droneId}/task',
    operationId: 'getDroneTask',
    tags: ['drones'],
    summary: "The drone's active delivery (`assigned` or `in_progress`).",
    auth: 'device',
    responses: {
      200: { description: 'The active delivery.', schema: droneTaskSchema, headers: { 'Cache-Control': 'NoStore' } },
      204: { description: 'The drone has no active delivery.', headers: { 'Cache-Control': 'NoStore' } },
      401: 'DeviceUnauthorized',
      403: 'Forbidden',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/deliveries/{deliveryId}/events',
    operationId: 'postDeliveryEvent',
    tags: ['drones'],
    summary: 'Report a delivery event (started, dropped, failed).',
    description: text(
      'Only the drone assigned to the delivery may post (another drone, or an automat',
      'key: `403 forbidden`). An unknown or malformed delivery id: `404 not_found`.',
      '',
      '| type | from delivery status | to |',
      '|---|---|---|',
      '| started | assigned | in_progress (`started_at` set) |',
      '| dropped | in_progress | delivered (internal cell `occupied`, drone `idle`) |',
      '| failed | assigned, in_progress | failed (cells released, drone `idle`, order back to ' +
        '`pending`; after 3 failed deliveries of one order it is `cancelled`, stock restored, ' +
        'customer notified) |',
      '',
      'Repeating the event that produced the current status is a no-op 200. Any other',
      'transition: `409 invalid_transition`.',
      '',
    ),
    auth: 'device',
    request: { schema: deliveryEventSchema, description: 'At most 4 KiB.' },
    responses: {
      200: { description: 'The delivery after the event.', schema: deliveryEventResponseSchema },
      400: 'ValidationFailed',
      401: 'DeviceUnauthorized',
      403: 'Forbidden',
      404: 'NotFound',
      409: 'InvalidTransition',
      413: 'PayloadTooLarge',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/automats/{automatId}/expected',
    operationId: 'getExpectedDeliveries',
    tags: ['automats'],
    summary: 'Deliveries bound for this automat, oldest first.',
    description: text(
      'Deliveries that are `assigned`, `in_progress` or `delivered` (waiting to be moved',
      'from the internal to the external cell).',
      '',
    ),
    auth: 'device',
    responses: {
      200: {
        description: 'The expected deliveries.',
        schema: expectedDeliveriesSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      401: 'DeviceUnauthorized',
      403: 'Forbidden',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/automats/{automatId}/transfer',
    operationId: 'transferDelivery',
    tags: ['automats'],
    summary: 'Cargo moved from the internal cell to the reserved external cell.',
    description: text(
      'Delivery `delivered` -> `completed` (`completed_at` set), internal cell `available`,',
      'external cell `occupied`, order `delivered` with `locker_cell_id` set; the customer',
      'is notified ("parcel ready in cell N"). From any other delivery status:',
      '`409 invalid_transition`; no free pickup cell fits the parcel: `409 no_capacity`.',
      'A delivery unknown at this automat: `404 not_found`.',
      '',
    ),
    auth: 'device',
    request: { schema: transferSchema, description: 'At most 4 KiB.' },
    responses: {
      200: { description: 'The parcel is ready for pickup.', schema: transferResponseSchema },
      400: 'ValidationFailed',
      401: 'DeviceUnauthorized',
      403: 'Forbidden',
      404: 'NotFound',
      409: {
        description: '`invalid_transition` (the delivery is not `delivered`) or `no_capacity`.',
        schema: transferConflictSchema,
      },
      413: 'PayloadTooLarge',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/automats/{automatId}/scan',
    operationId: 'scanPickupCode',
    tags: ['automats'],
    summary: 'A customer showed a pickup QR code at the kiosk.',
    description: text(
      'Opens every external cell at this automat holding a `delivered` order of that',
      'customer (by cell number); those orders become `completed` and their cells `available`.',
      "A scan that opens cells spends the code: the customer's pickup code is replaced in the",
      'same transaction. Shown again for a parcel waiting here, a spent code is `410',
      'qr_expired`; a repeated scan with nothing left here is `404 nothing_to_collect`.',
      'Rate limited per automat: 120 scans a minute, and 30 wrong codes (`invalid_qr`,',
      '`qr_expired`) per 10 minutes; then every scan there is `429 rate_limited` with',
      '`Retry-After` until the window ends.',
      '',
      'Addition: the body may instead be `{"pin": "123456"}`, the 6-digit pickup PIN of one',
      'parcel waiting at this automat (shown on the customer\'s pickup page and in the "ready"',
      'notification). It opens that one parcel and is spent by it. A PIN that matches no',
      'parcel waiting here is `403 invalid_pin`. PIN attempts are limited to 5 a minute per',
      'automat (a PIN that opens a cell is not counted); then `429 rate_limited` with',
      '`Retry-After`.',
      '',
    ),
    auth: 'device',
    request: { schema: scanSchema, description: 'At most 8 KiB.' },
    responses: {
      200: { description: 'The cells to open.', schema: scanResponseSchema },
      400: 'ValidationFailed',
      401: 'DeviceUnauthorized',
      403: {
        description: text(
          '`invalid_qr` (not a code this platform issued, or tampered with), `invalid_pin` (no',
          'parcel waiting at this automat has this PIN, including one already collected) or',
          '`forbidden` (the key belongs to another automat, or is not an automat key).',
          '',
        ),
        schema: scanForbiddenSchema,
      },
      404: {
        description: text(
          '`nothing_to_collect`: a genuine code, but nothing is waiting here (also the',
          'answer to a second scan of the same parcels).',
          '',
        ),
        schema: nothingToCollectSchema,
      },
      410: {
        description: '`qr_expired`: past its 24 hours, or a newer code was issued since.',
        schema: qrExpiredSchema,
      },
      413: 'PayloadTooLarge',
      429: 'RateLimited',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/automats/{automatId}/heartbeat',
    operationId: 'postAutomatHeartbeat',
    tags: ['automats'],
    summary: 'Marks the automat seen now and sets `is_working`.',
    auth: 'device',
    request: { schema: heartbeatSchema, description: 'At most 1 KiB.' },
    responses: {
      200: { description: 'Recorded.', schema: heartbeatResponseSchema },
      400: 'ValidationFailed',
      401: 'DeviceUnauthorized',
      403: 'Forbidden',
      413: 'PayloadTooLarge',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/automats/{automatId}/staff-pin',
    operationId: 'setKioskStaffPin',
    tags: ['automats'],
    summary: "Sets the kiosk's staff PIN (an addition), chosen when staff pair the screen.",
    description: text(
      "The locker's device key proves the caller is staff; the PIN then opens staff mode on",
      'the kiosk screen (pairing, unpairing, parcels to move). Replaces any earlier staff PIN.',
      'Only an scrypt hash is stored. 6 to 12 digits; a repeated digit or a run such as',
      '`123456` is refused (`400 validation_failed`).',
      '',
    ),
    auth: 'device',
    request: { schema: staffPinSetSchema, description: 'At most 1 KiB.', component: 'StaffPinRequest' },
    responses: {
      200: { description: 'Saved.', schema: heartbeatResponseSchema },
      400: 'ValidationFailed',
      401: 'DeviceUnauthorized',
      403: 'Forbidden',
      413: 'PayloadTooLarge',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'post',
    path: '/api/automats/{automatId}/staff-session',
    operationId: 'openKioskStaffMode',
    tags: ['automats'],
    summary: 'Checks the staff PIN typed at the kiosk before it opens staff mode (an addition).',
    description: text(
      "`200` when the PIN is this locker's staff PIN; the kiosk closes staff mode after",
      '`idle_timeout_seconds` without a touch. A wrong PIN is `403 invalid_pin`; a locker',
      'without a staff PIN is `409 conflict` (staff set one with the device key). Attempts are',
      'limited per automat: 5 in 10 minutes (correct ones are not counted), then `429',
      'rate_limited` with `Retry-After`.',
      '',
    ),
    auth: 'device',
    request: { schema: staffSessionSchema, description: 'At most 1 KiB.' },
    responses: {
      200: {
        description: 'The PIN is right.',
        schema: staffSessionResponseSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      400: 'ValidationFailed',
      401: 'DeviceUnauthorized',
      403: {
        description:
          '`invalid_pin` (wrong staff PIN) or `forbidden` (the key belongs to another automat, or is ' +
          'not an automat key).',
        schema: pinForbiddenSchema,
      },
      409: { description: '`conflict`: no staff PIN is set for this locker.', schema: staffPinNotSetSchema },
      413: 'PayloadTooLarge',
      429: 'RateLimited',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/devices/me',
    operationId: 'getDeviceIdentity',
    tags: ['drones', 'automats'],
    summary: 'Which device a key belongs to.',
    description: 'Addition to the contract; any device key (drone or automat).',
    auth: 'device',
    responses: {
      200: { description: "The key's device.", schema: deviceIdentitySchema },
      401: 'DeviceUnauthorized',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/admin/fleet',
    operationId: 'getFleetSnapshot',
    tags: ['admin'],
    summary: "The live map's snapshot of every drone and locker (polled every second).",
    description: text(
      'Addition to the contract. Drones are compact tuples',
      '`[id, status, battery, lat, lon, heading_deg, speed_mps, last_seen_ms, dest_lat, dest_lon, ' +
        'model, call_sign]`',
      "(destination only while on a delivery; `call_sign`, the drone's unique name such as `D-03`,",
      'was added last); lockers are objects.',
      '',
      'Every answer carries a `version`. A portal sends the version it holds back as `since`',
      'and gets a delta (`full: false`): the drones added or changed after it (whole tuples),',
      'the ids of drones removed after it, and every locker only when any locker changed.',
      'Applying deltas in order to the last full snapshot gives exactly the current full',
      'snapshot. Each instance loads the fleet at most once per second, shared by every',
      'portal it serves; a version is only meaningful to the instance that issued it. A',
      '`since` from another instance, from before a restart, or older than about two minutes',
      'gets a full snapshot (`full: true`), which replaces what the portal holds: correct',
      'behind a load balancer without sticky sessions, only larger.',
      'A drone whose only change is `last_seen_ms` is re-sent once it moved by 10 s or more,',
      'so `last_seen_ms` may lag by up to 10 s (a drone reporting every second would',
      'otherwise be in every delta). The `Server-Timing` header (`fleet;dur=…`) gives the',
      'time spent on the request.',
      '',
    ),
    auth: 'session',
    query: fleetQuerySchema,
    responses: {
      200: {
        description: 'A full snapshot (`full` true), or a delta since the version sent (`full` false).',
        schema: fleetAnswerSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      400: 'ValidationFailed',
      401: 'Unauthorized',
      403: 'Forbidden',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/admin/drones/{droneId}',
    operationId: 'getDroneDetail',
    tags: ['admin'],
    summary: "The map's side panel for one drone.",
    description: 'Addition to the contract. Battery per minute (last hour), trail (last 5 minutes), current job.',
    auth: 'session',
    responses: {
      200: {
        description: "The drone's details.",
        schema: adminDroneDetailSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'NotFound',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/admin/automats/{automatId}/cells',
    operationId: 'getAutomatCells',
    tags: ['admin'],
    summary: "A locker's cells (pickup and drop) with their states, for the map popup.",
    description: 'Addition to the contract.',
    auth: 'session',
    responses: {
      200: { description: 'The cells.', schema: adminAutomatCellsSchema },
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'NotFound',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
  {
    method: 'get',
    path: '/api/admin/alerts',
    operationId: 'listAlerts',
    tags: ['admin'],
    summary:
      'Current alerts, derived from the data (low battery, offline drones, stuck deliveries, ' +
      'silent lockers, orders pending too long), with their acknowledgements, and the closed lockers.',
    description:
      'Addition to the contract. Thresholds come from the ALERT_* settings. An alert acknowledged ' +
      'by an operator carries its acknowledgement and no longer counts in counts.total and ' +
      'counts.critical, until its condition changes. A closed locker (not working) is a state, ' +
      'listed in closed_lockers, not an alert.',
    auth: 'session',
    responses: {
      200: {
        description: 'The alerts, critical first.',
        schema: alertListSchema,
        headers: { 'Cache-Control': 'NoStore' },
      },
      401: 'Unauthorized',
      403: 'Forbidden',
      500: 'InternalError',
      503: 'ServiceUnavailable',
    },
  },
];
