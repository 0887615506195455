import { z } from '@/lib/validation/zod';
import {
  CELL_STATUSES,
  DELIVERY_STATUSES,
  DEVICE_PLATFORMS,
  DRONE_HELD_DELIVERY_STATUSES,
  DRONE_STATUSES,
  EN_ROUTE_DELIVERY_STATUSES,
  NOTIFICATION_KINDS,
  ORDER_STATUSES,
} from '@/db/statuses';

// Response bodies of the HTTP contract, one schema per DTO. docs/openapi.yaml is generated
// from these (scripts/openapi.ts, lib/contract/) and the API tests check every real answer
// against them, so the document and the tests cannot drift apart. A schema with an `id` is a
// named component of the document; its description and examples are the document's.
// Response objects are strict: a field the contract does not list is drift, not an addition.

// ---- shared value types -----------------------------------------------------------------

// Any UUID-shaped id (ids also come from outside uuid v4, e.g. fixtures and older rows).
export const uuidSchema = z.guid().meta({ id: 'Uuid' });
export const timestampSchema = z.iso
  .datetime()
  .meta({ id: 'Timestamp', description: 'ISO-8601 UTC, e.g. `2026-11-22T10:30:45.000Z`.' });
export const latitudeSchema = z.number().min(-90).max(90).meta({ id: 'Latitude' });
export const longitudeSchema = z.number().min(-180).max(180).meta({ id: 'Longitude' });
export const orderStatusSchema = z.enum(ORDER_STATUSES).meta({ id: 'OrderStatus' });
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES).meta({ id: 'DeliveryStatus' });
export const droneStatusSchema = z.enum(DRONE_STATUSES).meta({ id: 'DroneStatus' });
export const devicePlatformSchema = z.enum(DEVICE_PLATFORMS).meta({ id: 'DevicePlatform' });

const callSignPattern = /^[A-Z0-9-]{2,12}$/;
const adminHref = z.string().regex(/^\/admin/);
const nullableTimestamp = timestampSchema.nullable();

// ---- errors -------------------------------------------------------------------------------

export const ERROR_CODES = [
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'invalid_transition',
  'out_of_stock',
  'no_capacity',
  'too_many_orders',
  'qr_expired',
  'invalid_qr',
  'invalid_pin',
  'nothing_to_collect',
  'email_taken',
  'rate_limited',
  'payload_too_large',
  'conflict',
  'service_unavailable',
  'internal_error',
] as const;
export type ContractErrorCode = (typeof ERROR_CODES)[number];

export const errorCodeSchema = z.enum(ERROR_CODES).meta({ id: 'ErrorCode' });

export const fieldErrorsSchema = z
  .record(z.string(), z.string().min(1))
  .refine((fields) => Object.keys(fields).length > 0, 'fields is never empty')
  .meta({
    id: 'FieldErrors',
    description: 'Offending field (dotted path; `_` for the body itself) -> message.',
    minProperties: 1,
  });

const errorMessage = z.string().min(1).meta({ description: 'Human-readable; may change, do not parse.' });

/** Any error of the contract: the shape every error body shares. */
export const errorSchema = z
  .strictObject({
    error: z.strictObject({ code: errorCodeSchema, message: errorMessage, fields: fieldErrorsSchema.optional() }),
  })
  .meta({
    id: 'Error',
    examples: [
      {
        error: {
          code: 'validation_failed',
          message: 'Some fields are invalid.',
          fields: { lat: 'must be between -90 and 90' },
        },
      },
    ],
  });

/**
 * The error body for the given codes. `fields` is allowed only with `validation_failed`:
 * every other error is strict without it, which is what the contract promises.
 */
export function errorBodySchema(codes: readonly [ContractErrorCode, ...ContractErrorCode[]]) {
  const code = codes.length === 1 ? z.literal(codes[0]) : z.enum(codes);
  const fields = codes.includes('validation_failed') ? { fields: fieldErrorsSchema.optional() } : {};
  return z.strictObject({ error: z.strictObject({ code, message: errorMessage, ...fields }) });
}

export const validationErrorSchema = errorBodySchema(['validation_failed']).meta({ id: 'ValidationError' });
export const unauthorizedErrorSchema = errorBodySchema(['unauthorized']).meta({ id: 'UnauthorizedError' });
export const forbiddenErrorSchema = errorBodySchema(['forbidden']).meta({ id: 'ForbiddenError' });
export const notFoundErrorSchema = errorBodySchema(['not_found']).meta({ id: 'NotFoundError' });
export const invalidTransitionErrorSchema = errorBodySchema(['invalid_transition']).meta({
  id: 'InvalidTransitionError',
});
export const payloadTooLargeErrorSchema = errorBodySchema(['payload_too_large']).meta({ id: 'PayloadTooLargeError' });
export const rateLimitedErrorSchema = errorBodySchema(['rate_limited']).meta({ id: 'RateLimitedError' });
export const serviceUnavailableErrorSchema = errorBodySchema(['service_unavailable']).meta({
  id: 'ServiceUnavailableError',
});
export const internalErrorSchema = errorBodySchema(['internal_error']).meta({ id: 'InternalError' });
export const createOrderConflictSchema = errorBodySchema(['out_of_stock', 'no_capacity', 'too_many_orders']).meta({
  id: 'CreateOrderConflict',
});
export const transferConflictSchema = errorBodySchema(['invalid_transition', 'no_capacity']).meta({
  id: 'TransferConflict',
});
export const scanForbiddenSchema = errorBodySchema(['invalid_qr', 'invalid_pin', 'forbidden']).meta({
  id: 'ScanForbidden',
});
export const pinForbiddenSchema = errorBodySchema(['invalid_pin', 'forbidden']).meta({ id: 'PinForbidden' });
export const staffPinNotSetSchema = errorBodySchema(['conflict']).meta({ id: 'StaffPinNotSet' });
export const nothingToCollectSchema = errorBodySchema(['nothing_to_collect']).meta({ id: 'NothingToCollect' });
export const qrExpiredSchema = errorBodySchema(['qr_expired']).meta({ id: 'QrExpired' });
export const emailTakenErrorSchema = errorBodySchema(['email_taken']);

// ---- system -------------------------------------------------------------------------------

export const healthOkSchema = z.strictObject({ status: z.literal('ok'), db: z.literal('ok') }).meta({ id: 'HealthOk' });
export const healthDegradedSchema = z
  .strictObject({ status: z.literal('degraded'), db: z.literal('unavailable') })
  .meta({ id: 'HealthDegraded' });

// ---- accounts -----------------------------------------------------------------------------

export const registeredUserSchema = z
  .strictObject({
    id: uuidSchema,
    full_name: z.string(),
    email: z.email().meta({ description: 'Lower-cased.' }),
    role: z.literal('client'),
  })
  .meta({ id: 'RegisteredUser' });
export const registerResponseSchema = z.strictObject({ user: registeredUserSchema }).meta({ id: 'RegisterResponse' });
export const phoneCodeResponseSchema = z
  .strictObject({ expires_at: timestampSchema })
  .meta({ id: 'PhoneCodeResponse' });
export const csrfTokenSchema = z.strictObject({ csrfToken: z.string().min(1) }).meta({ id: 'CsrfToken' });

// ---- customer -----------------------------------------------------------------------------

export const pickupCodeSchema = z
  .strictObject({
    token: z
      .string()
      .regex(/^SP2\.[A-Za-z0-9_-]{51}$/)
      .meta({
        description:
          'The text to encode in the pickup QR code: `SP2.<body>` (55 characters), signed by\n' +
          'the server (a 128-bit MAC), so the printed code stays coarse. Opaque to clients.\n' +
          'Codes issued earlier as `SP1.<payload>.<signature>` are still accepted by the scan.\n',
      }),
    expires_at: timestampSchema,
  })
  .meta({ id: 'PickupCode' });

export const deviceSchema = z
  .strictObject({ id: uuidSchema, platform: devicePlatformSchema, updated_at: timestampSchema })
  .meta({ id: 'Device' });
export const deviceResponseSchema = z.strictObject({ device: deviceSchema }).meta({ id: 'DeviceResponse' });

const dimension = (description: string) => z.number().min(0).meta({ description });

export const orderGoodSchema = z
  .strictObject({
    id: uuidSchema,
    name: z.string(),
    weight: dimension('Kilograms.'),
    height: dimension('Centimetres.'),
    length: dimension('Centimetres.'),
    width: dimension('Centimetres.'),
  })
  .meta({ id: 'OrderGood' });
export const orderAutomatSchema = z
  .strictObject({
    id: uuidSchema,
    city: z.string(),
    address: z.string(),
    lat: latitudeSchema,
    lon: longitudeSchema,
  })
  .meta({ id: 'OrderAutomat' });
export const cellNumberSchema = z.int().min(1).nullable().meta({
  id: 'CellNumber',
  description: 'The pickup cell, only once the parcel is in the locker (`delivered`, `completed`).',
});
const pickupPin = z
  .string()
  .regex(/^[0-9]{6}$/)
  .nullable()
  .meta({
    description:
      "An addition: the parcel's 6-digit pickup PIN while it waits in the locker (status\n" +
      '`delivered`), typed on the kiosk keypad instead of showing the QR code; otherwise null.\n',
  });

const orderFields = {
  id: uuidSchema,
  status: orderStatusSchema,
  created_at: timestampSchema,
  updated_at: timestampSchema,
  good: orderGoodSchema,
  automat: orderAutomatSchema,
  cell_number: cellNumberSchema,
  // Optional in the document as it always was; the presenter always sends it.
  pickup_pin: pickupPin.optional(),
};
export const orderSchema = z.strictObject(orderFields).meta({ id: 'Order' });
export const orderResponseSchema = z.strictObject({ order: orderSchema }).meta({ id: 'OrderResponse' });
export const orderListSchema = z
  .strictObject({ orders: z.array(orderSchema).max(100).meta({ description: 'Newest first.' }) })
  .meta({ id: 'OrderList' });

export const notificationSchema = z
  .strictObject({
    id: z.guid(),
    kind: z.enum(NOTIFICATION_KINDS),
    title: z.string().min(1).max(200),
    body: z.string().min(1).max(1000),
    link: z
      .string()
      .regex(/^\//)
      .meta({ description: 'Where opening it leads, e.g. `/orders/{id}`, or `/pickup` when a parcel is ready.' }),
    order_id: z.guid().nullable(),
    created_at: timestampSchema,
    read_at: nullableTimestamp,
  })
  .meta({ id: 'Notification' });
export const notificationListSchema = z
  .strictObject({
    unread: z.int().min(0),
    notifications: z.array(notificationSchema).max(100).meta({ description: 'Newest first.' }),
  })
  .meta({ id: 'NotificationList' });
export const notificationReadResponseSchema = z.strictObject({
  notification: z.strictObject({ id: z.guid(), read_at: timestampSchema, link: z.string().regex(/^\//) }),
});
export const notificationsReadAllResponseSchema = z.strictObject({ updated: z.int().min(0) });

export const timelineEntrySchema = z
  .strictObject({
    event: z.string().meta({
      description:
        'e.g. `created`, `cancelled`, `assigned`, `started`, `dropped`, `failed`, `transferred`, `collected`.',
    }),
    entity: z.enum(['order', 'delivery']),
    from_status: z.string().nullable(),
    to_status: z.string().nullable(),
    actor: z.enum(['system', 'worker', 'customer', 'admin', 'drone', 'automat']),
    details: z.record(z.string(), z.unknown()).meta({ description: 'Free-form facts about the event.' }),
    at: timestampSchema,
  })
  .meta({ id: 'TimelineEntry' });

export const trackedDroneSchema = z
  .strictObject({
    id: uuidSchema,
    call_sign: z
      .string()
      .regex(callSignPattern)
      .meta({
        description: "The drone's unique call sign, such as `D-03`, shown to the customer.",
        examples: ['D-03'],
      }),
    status: droneStatusSchema,
    lat: z.number().min(-90).max(90).nullable(),
    lon: z.number().min(-180).max(180).nullable(),
    heading_deg: z.number().min(0).max(360).nullable(),
    speed_mps: z.number().min(0).nullable(),
    battery_level: z.number().min(0).max(100).nullable(),
    last_seen_at: nullableTimestamp,
    last_seen_seconds_ago: z.int().min(0).nullable(),
  })
  .nullable()
  .meta({ id: 'TrackedDrone' });

export const trackingSchema = z
  .strictObject({
    delivery_id: uuidSchema,
    delivery_status: z.enum(EN_ROUTE_DELIVERY_STATUSES),
    drone: trackedDroneSchema,
    distance_m: z
      .int()
      .min(0)
      .nullable()
      .meta({ description: 'Drone to automat, while `assigned` or `in_progress` and the position is known.' }),
    eta_seconds: z.int().min(0).nullable(),
  })
  .nullable()
  .meta({ id: 'Tracking', description: 'The active delivery, or null when no drone has the order.' });

export const milestoneSchema = z
  .strictObject({
    key: z.enum(['placed', 'on_the_way', 'in_locker', 'collected', 'cancelled']),
    at: nullableTimestamp,
    until: nullableTimestamp.meta({ description: 'For `in_locker`, the pickup deadline.' }),
    cell_number: z.int().nullable(),
    reason: z.string().nullable().meta({ description: 'For `cancelled`, why (null when the customer cancelled it).' }),
    by_customer: z.boolean(),
    call_sign: z
      .string()
      .nullable()
      .meta({ description: 'For `on_the_way`, the call sign of the drone carrying the order (such as `D-03`).' }),
  })
  .meta({ id: 'Milestone' });

export const orderDetailSchema = z
  .strictObject({
    ...orderFields,
    timeline: z.array(timelineEntrySchema).meta({
      description:
        "Oldest first. The customer's copy: an operator's own notes and the dispatcher's\n" +
        'reasoning on an assignment (`reason`, `distance_m`, `battery_level`,\n' +
        '`internal_cell_number`) are left out.\n',
    }),
    milestones: z
      .array(milestoneSchema)
      .max(5)
      .optional()
      .meta({
        description:
          "An addition: what the customer's order page shows, oldest first. `placed`,\n" +
          '`on_the_way`, `in_locker` (with `until`, the pickup deadline) and `collected`; or\n' +
          '`placed` and `cancelled` (with its `reason`, null when the customer cancelled). A\n' +
          'milestone still to come has `at: null`.\n',
      }),
    tracking: trackingSchema,
  })
  .meta({ id: 'OrderDetail' });
export const orderDetailResponseSchema = z
  .strictObject({ order: orderDetailSchema })
  .meta({ id: 'OrderDetailResponse' });
export const cancelOrderResponseSchema = z
  .strictObject({ order: z.strictObject({ id: uuidSchema, status: z.literal('cancelled') }) })
  .meta({ id: 'CancelOrderResponse' });

// ---- drones -------------------------------------------------------------------------------

export const telemetryAcceptedSchema = z
  .strictObject({ accepted: z.int().min(1).max(100).meta({ description: 'How many readings were stored.' }) })
  .meta({ id: 'TelemetryAccepted' });

export const droneTaskSchema = z
  .strictObject({
    delivery: z.strictObject({
      id: uuidSchema,
      status: z.enum(DRONE_HELD_DELIVERY_STATUSES),
      order_id: uuidSchema,
      automat: z.strictObject({
        id: uuidSchema,
        city: z.string(),
        address: z.string(),
        lat: latitudeSchema,
        lon: longitudeSchema,
        aruco_id: z.int(),
      }),
      internal_cell: z
        .strictObject({ id: uuidSchema, cell_number: z.int() })
        .meta({ description: 'The drop cell reserved for this delivery.' }),
      good: z.strictObject({
        name: z.string(),
        weight: z.number().min(0),
        height: z.number().min(0),
        length: z.number().min(0),
        width: z.number().min(0),
      }),
    }),
  })
  .meta({
    id: 'DroneTask',
    examples: [
      {
        delivery: {
          id: '6f1c2a1e-3b4d-4c5e-8f60-718293a4b5c6',
          status: 'assigned',
          order_id: '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d',
          automat: {
            id: '11111111-2222-4333-8444-555555555555',
            city: 'Moscow',
            address: 'Red Square, 1',
            lat: 55.7558,
            lon: 37.6173,
            aruco_id: 101,
          },
          internal_cell: { id: '66666666-7777-4888-8999-aaaaaaaaaaaa', cell_number: 11 },
          good: { name: 'Small Package', weight: 0.5, height: 10, length: 20, width: 15 },
        },
      },
    ],
  });

export const deliveryEventResponseSchema = z
  .strictObject({ delivery: z.strictObject({ id: uuidSchema, status: deliveryStatusSchema }) })
  .meta({ id: 'DeliveryEventResponse' });
export const deviceIdentitySchema = z
  .strictObject({ device: z.strictObject({ kind: z.enum(['drone', 'automat']), id: uuidSchema }) })
  .meta({ id: 'DeviceIdentity' });

// ---- automats -----------------------------------------------------------------------------

export const expectedDeliveriesSchema = z
  .strictObject({
    deliveries: z
      .array(
        z.strictObject({
          id: uuidSchema,
          status: z.enum(EN_ROUTE_DELIVERY_STATUSES),
          drone_id: z.guid().nullable(),
          internal_cell_number: z.int().nullable(),
          external_cell_number: z.int().nullable(),
        }),
      )
      .meta({ description: 'Oldest first.' }),
  })
  .meta({ id: 'ExpectedDeliveries' });
export const transferResponseSchema = z
  .strictObject({ order_id: uuidSchema, external_cell_number: z.int() })
  .meta({ id: 'TransferResponse' });
export const scanResponseSchema = z
  .strictObject({
    open: z
      .array(z.strictObject({ cell_number: z.int(), order_id: uuidSchema }))
      .min(1)
      .meta({ description: 'By cell number.' }),
  })
  .meta({ id: 'ScanResponse' });
export const staffSessionResponseSchema = z
  .strictObject({
    idle_timeout_seconds: z.int().min(1).meta({ description: 'Staff mode closes after this long without a touch.' }),
  })
  .meta({ id: 'StaffSessionResponse' });
export const heartbeatResponseSchema = z
  .strictObject({})
  .meta({ id: 'HeartbeatResponse', description: 'Always `{}`.' });

// ---- admin --------------------------------------------------------------------------------

export const fleetVersionSchema = z
  .string()
  .regex(/^[0-9a-f]{1,32}\.[0-9]{1,15}$/)
  .meta({
    id: 'FleetVersion',
    description: 'What the portal sends back as `since`; meaningful only to the instance that issued it.',
  });

export const fleetDroneTupleSchema = z
  .tuple([
    uuidSchema,
    droneStatusSchema,
    z.number().nullable(),
    z.number().nullable(),
    z.number().nullable(),
    z.number().nullable(),
    z.number().nullable(),
    z.int().nullable(),
    z.number().nullable(),
    z.number().nullable(),
    z.string(),
    z.string().regex(callSignPattern),
  ])
  .meta({
    id: 'FleetDroneTuple',
    description:
      '[id, status, battery, lat, lon, heading_deg, speed_mps, last_seen_ms, dest_lat, dest_lon, model, call_sign]',
  });

const cellCount = (description: string) => z.int().min(0).meta({ description });

export const fleetAutomatSchema = z
  .strictObject({
    id: uuidSchema,
    city: z.string(),
    address: z.string(),
    lat: latitudeSchema,
    lon: longitudeSchema,
    aruco_id: z.int(),
    is_working: z.boolean(),
    last_seen_ms: z.int().nullable(),
    external_total: cellCount('Pickup cells, all of them.'),
    external_occupied: cellCount('Pickup cells not available (reserved, holding a parcel or under maintenance).'),
    external_free: cellCount('Pickup cells an order can book now: the "free" of the one cell metric ("9 free of 10").'),
    external_in_service: cellCount('Pickup cells not under maintenance: the "of" of the one cell metric.'),
  })
  .meta({ id: 'FleetAutomat' });

export const fleetSnapshotSchema = z
  .strictObject({
    at: z.int().meta({ description: 'Server time of the snapshot, ms since the epoch.' }),
    version: fleetVersionSchema,
    full: z.literal(true).meta({ description: 'Always true here; a delta has `full` false.' }),
    drones: z.array(fleetDroneTupleSchema),
    automats: z.array(fleetAutomatSchema),
  })
  .meta({ id: 'FleetSnapshot' });
export const fleetDeltaSchema = z
  .strictObject({
    at: z
      .int()
      .meta({ description: 'Server time of the snapshot this delta brings the portal to, ms since the epoch.' }),
    version: fleetVersionSchema,
    full: z.literal(false),
    drones: z
      .array(fleetDroneTupleSchema)
      .meta({ description: 'Drones added or changed since `since`, whole tuples.' }),
    removed: z.array(uuidSchema).meta({ description: 'Ids of drones removed since `since`.' }),
    automats: z
      .array(fleetAutomatSchema)
      .optional()
      .meta({ description: 'Every locker; present only when any locker changed since `since`.' }),
  })
  .meta({ id: 'FleetDelta' });
export const fleetAnswerSchema = z.discriminatedUnion('full', [fleetSnapshotSchema, fleetDeltaSchema]);

export const adminDroneDetailSchema = z
  .strictObject({
    battery: z.array(z.strictObject({ at: timestampSchema, level: z.number().min(0).max(100) })),
    trail: z.array(z.tuple([z.number(), z.number()])),
    job: z
      .strictObject({
        delivery_id: uuidSchema,
        delivery_status: deliveryStatusSchema,
        order_id: uuidSchema,
        order_status: orderStatusSchema,
        good: z.string(),
        customer: z.string().nullable(),
        address: z.string(),
      })
      .nullable(),
  })
  .meta({ id: 'AdminDroneDetail' });

export const adminAutomatCellsSchema = z
  .strictObject({
    cells: z.array(
      z.strictObject({
        kind: z.enum(['internal', 'external']),
        cell_number: z.int().nullable(),
        status: z.enum(CELL_STATUSES),
        size: z.string(),
      }),
    ),
  })
  .meta({ id: 'AdminAutomatCells' });

export const alertListSchema = z
  .strictObject({
    thresholds: z
      .strictObject({
        low_battery: z.number(),
        stuck_delivery_min: z.int(),
        pending_order_min: z.int(),
        automat_silent_min: z.int(),
      })
      .meta({
        description: "The limits the alerts are raised at (the deployment's ALERT_* settings), for wording them.",
      }),
    alerts: z.array(
      z.strictObject({
        kind: z.enum(['low_battery', 'drone_offline', 'delivery_stuck', 'automat_silent', 'order_pending']),
        severity: z.enum(['warning', 'critical']),
        object_type: z.enum(['drone', 'automat', 'order']),
        object_id: uuidSchema,
        title: z.string().meta({ description: 'In English; pages word the alert from kind, label and value.' }),
        detail: z.string().meta({ description: 'In English.' }),
        label: z.string().meta({
          description: 'What it is about: a drone\'s call sign, a locker\'s address, or "good → locker" for an order.',
        }),
        value: z
          .string()
          .nullable()
          .meta({
            description:
              "low_battery: the battery level; delivery_stuck: the delivery's status (assigned, in_progress); " +
              'otherwise null.',
          }),
        since: nullableTimestamp,
        href: adminHref,
        acknowledgement: z
          .strictObject({ by: z.string(), at: timestampSchema, note: z.string().min(1).max(500) })
          .nullable()
          .meta({ description: 'The latest acknowledgement of this occurrence of the alert; null while it is open.' }),
      }),
    ),
    closed_lockers: z.array(
      z.strictObject({
        id: uuidSchema,
        city: z.string(),
        address: z.string(),
        last_seen_at: nullableTimestamp,
        href: adminHref,
      }),
    ),
    counts: z.strictObject({
      total: z.int().min(0).meta({ description: 'Open (unacknowledged) alerts.' }),
      critical: z.int().min(0).meta({ description: 'Open critical alerts.' }),
      acknowledged: z.int().min(0),
    }),
  })
  .meta({ id: 'AlertList' });
