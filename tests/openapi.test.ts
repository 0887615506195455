import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { OrderDetail } from '@/db/queries/orders';
import { buildOpenApiDocument, findOperation, registeredResponse } from '@/lib/contract/openapi';
import { operations, type Method } from '@/lib/contract/registry';
import { OPENAPI_FILE, renderOpenApiYaml } from '@/lib/contract/render';
import { ERROR_STATUS, type ErrorCode } from '@/lib/errors';
import { orderDetailJson } from '@/lib/orders/present';
import { phoneNumberSchema } from '@/lib/validation/accounts';
import {
  ERROR_CODES,
  droneTaskSchema,
  errorSchema,
  orderDetailResponseSchema,
  trackedDroneSchema,
  type ContractErrorCode,
} from '@/lib/validation/responses';
import { telemetryBodySchema, telemetryReadingSchema } from '@/lib/validation/telemetry';

// The contract as code (lib/contract/, lib/validation/): docs/openapi.yaml is generated from it
// and must be up to date, and the registry itself keeps the rules the document always kept.
// The real server is checked against the same schemas by e2e/api/openapi.spec.ts.

const ROOT = path.resolve(import.meta.dirname, '..');

describe('docs/openapi.yaml', () => {
  it('is what `npm run openapi` writes from the registry and the schemas', async () => {
    const file = path.join(ROOT, OPENAPI_FILE);
    const expected = await renderOpenApiYaml(file);
    expect(readFileSync(file, 'utf8') === expected, `${OPENAPI_FILE} is stale: run \`npm run openapi\``).toBe(true);
  });

  it('is OpenAPI 3.1 whose every $ref points at a component it defines', () => {
    const doc = buildOpenApiDocument() as { openapi: string; components: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/(\w+)\/(\w+)"/g)];
    expect(refs.length).toBeGreaterThan(100);
    for (const [, kind, name] of refs) expect(doc.components[kind!]?.[name!], `${kind}/${name}`).toBeDefined();
  });
});

describe('the route registry', () => {
  const label = (o: { method: Method; path: string }) => `${o.method.toUpperCase()} ${o.path}`;

  it('has unique ids and operations, and states who may call each', () => {
    const ids = operations.map((o) => o.operationId);
    expect(new Set(ids).size, 'operationIds are unique').toBe(ids.length);
    const keys = operations.map(label);
    expect(new Set(keys).size, 'each path and method once').toBe(keys.length);
    for (const op of operations) {
      expect(op.operationId, label(op)).toMatch(/^[a-z][A-Za-z]+$/);
      if (op.path.startsWith('/api/me/') || op.path.startsWith('/api/orders'))
        expect(op.auth, label(op)).toBe('session');
      if (/^\/api\/(drones|deliveries|automats)\//.test(op.path)) {
        expect(op.auth, label(op)).toBe('device');
        expect(Object.keys(op.responses), `${label(op)} documents 401 and 403`).toEqual(
          expect.arrayContaining(['401', '403']),
        );
      }
      if (op.provider) expect(op.path.startsWith('/api/auth/'), label(op)).toBe(true);
    }
  });

  it('gives every error status a body that refuses codes it does not list, and Retry-After where it waits', () => {
    for (const op of operations) {
      for (const status of Object.keys(op.responses).map(Number)) {
        const r = registeredResponse(op.method, op.path, status)!;
        const where = `${label(op)} ${status}`;
        if (status === 429 || (status === 503 && op.path !== '/api/health'))
          expect(r.headers['Retry-After']?.required, `${where} Retry-After`).toBe(true);
        // Error statuses answer with the shared Error shape (health's 503 probe body aside).
        if (status < 400 || (op.path === '/api/health' && status === 503)) continue;
        expect(r.schema, `${where} has a body`).toBeDefined();
        const unknownCode = { error: { code: 'not-a-contract-code', message: 'x' } };
        expect(r.schema!.safeParse(unknownCode).success, `${where} constrains error.code`).toBe(false);
      }
    }
  });

  it('keeps the error codes of the contract and the Error shape', () => {
    // Both lists name the same codes: lib/errors.ts (what handlers throw) and the document.
    type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
    const same: Same<ErrorCode, ContractErrorCode> = true;
    expect(same).toBe(true);
    expect(ERROR_CODES).toEqual([
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
    ]);
    const ok = (body: unknown) => errorSchema.safeParse(body).success;
    expect(
      ok({ error: { code: 'validation_failed', message: 'Some fields are invalid.', fields: { lat: 'x' } } }),
    ).toBe(true);
    expect(ok({ error: { code: 'rate_limited', message: 'Slow down.' } })).toBe(true);
    expect(ok({ error: { code: 'teapot', message: 'x' } })).toBe(false);
    expect(ok({ error: { code: 'not_found', message: 'x', stack: '...' } })).toBe(false);
    expect(ok({ error: { code: 'not_found' } })).toBe(false);
    expect(ok({ error: { code: 'validation_failed', message: 'x', fields: {} } })).toBe(false);
    // `fields` belongs to validation errors only.
    const notFound = registeredResponse('get', '/api/me/orders/{orderId}', 404)!.schema!;
    expect(notFound.safeParse({ error: { code: 'not_found', message: 'x', fields: { id: 'x' } } }).success).toBe(false);
  });

  it('has examples that satisfy their own schemas', () => {
    const withExamples: z.ZodType[] = [errorSchema, telemetryReadingSchema, droneTaskSchema, phoneNumberSchema];
    for (const schema of withExamples) {
      const examples = (schema.meta()?.examples as unknown[] | undefined) ?? [];
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) expect(schema.safeParse(example).error).toBeUndefined();
    }
    const callSign = trackedDroneSchema.unwrap().shape.call_sign;
    for (const example of callSign.meta()?.examples as unknown[])
      expect(callSign.safeParse(example).success).toBe(true);
  });

  it("describes the request bodies the handlers accept (the contract's device shapes)", () => {
    const accepts = (method: Method, p: string, body: unknown) =>
      findOperation(method, p)!.request!.schema.safeParse(body).success;
    const telemetry = '/api/drones/{droneId}/telemetry';
    const goodBodies = [
      { lat: 55.7512, lon: 37.6184, battery_level: 87.5 },
      [{ lat: 1, lon: 2, battery_level: 3, status: 'charging', recorded_at: '2026-11-22T10:30:45Z' }],
    ];
    const badBodies = [
      { lat: 91, lon: 0, battery_level: 50 },
      [],
      Array.from({ length: 101 }, () => ({ lat: 0, lon: 0, battery_level: 1 })),
    ];
    // The documented union and the handler's own parser agree.
    for (const body of goodBodies) {
      expect(accepts('post', telemetry, body)).toBe(true);
      expect(telemetryBodySchema.safeParse(body).success).toBe(true);
    }
    for (const body of badBodies) {
      expect(accepts('post', telemetry, body)).toBe(false);
      expect(telemetryBodySchema.safeParse(body).success).toBe(false);
    }
    const events = '/api/deliveries/{deliveryId}/events';
    expect(accepts('post', events, { type: 'failed', reason: 'low battery' })).toBe(true);
    expect(accepts('post', events, { type: 'failed' })).toBe(false);
    expect(accepts('post', events, { type: 'landed' })).toBe(false);
    const scan = '/api/automats/{automatId}/scan';
    expect(accepts('post', scan, { qr: 'SP1.x.y' })).toBe(true);
    expect(accepts('post', scan, { qr: 42 })).toBe(false);
    expect(accepts('post', scan, { pin: '012345' })).toBe(true);
    expect(accepts('post', scan, { pin: '12345' })).toBe(false);
    expect(accepts('post', scan, { pin: 123456 })).toBe(false);
    expect(accepts('post', scan, { qr: 'SP2.x', pin: '012345' })).toBe(false);
    expect(accepts('post', scan, {})).toBe(false);
    expect(accepts('post', '/api/automats/{automatId}/heartbeat', { is_working: true })).toBe(true);
  });
});

describe('the order detail schema', () => {
  it('covers every tracking branch of the presenter, and refuses unknown fields', () => {
    // The real endpoint is checked in e2e/api/openapi.spec.ts with a drone on its way; the
    // branches it cannot easily show (a drone without a position, a delivery without a drone)
    // are checked on the presenter's output against the same schema.
    const now = new Date('2026-11-22T10:30:45.000Z');
    const id = () => crypto.randomUUID();
    const base: OrderDetail = {
      id: id(),
      status: 'processing',
      createdAt: new Date(now.getTime() - 600_000),
      updatedAt: new Date(now.getTime() - 60_000),
      good: { id: id(), name: 'Small Package', weight: 0.5, height: 10, length: 20, width: 15 },
      automat: { id: id(), city: 'Moscow', address: 'Red Square, 1', lat: 55.7558, lon: 37.6173 },
      cellNumber: null,
      pickupPin: null,
      timeline: [
        {
          id: 1,
          event: 'created',
          entity: 'order',
          fromStatus: null,
          toStatus: 'pending',
          actorType: 'customer',
          details: { stock_left: 3 },
          createdAt: now,
        },
        {
          id: 2,
          event: 'assigned',
          entity: 'delivery',
          fromStatus: 'pending',
          toStatus: 'assigned',
          actorType: 'system',
          details: {},
          createdAt: now,
        },
      ],
      tracking: {
        deliveryId: id(),
        deliveryStatus: 'in_progress',
        drone: {
          id: id(),
          callSign: 'D-03',
          status: 'busy',
          lat: 55.75,
          lon: 37.61,
          headingDeg: 270,
          speedMps: 12.3,
          batteryLevel: 87.5,
          lastSeenAt: new Date(now.getTime() - 3000),
        },
      },
    };
    const variants: OrderDetail[] = [
      base,
      {
        ...base,
        tracking: {
          deliveryId: id(),
          deliveryStatus: 'assigned',
          drone: {
            id: id(),
            callSign: 'D-12',
            status: 'busy',
            lat: null,
            lon: null,
            headingDeg: null,
            speedMps: null,
            batteryLevel: null,
            lastSeenAt: null,
          },
        },
      },
      { ...base, tracking: { deliveryId: id(), deliveryStatus: 'delivered', drone: null } },
      { ...base, status: 'delivered', cellNumber: 3, pickupPin: '042517', tracking: null },
    ];
    for (const v of variants) {
      const body = { order: orderDetailJson(v, now) };
      expect(orderDetailResponseSchema.safeParse(body).error, JSON.stringify(body)).toBeUndefined();
    }
    const drift = { order: { ...orderDetailJson(base, now), surprise: 1 } };
    expect(orderDetailResponseSchema.safeParse(drift).success, 'unknown fields are drift').toBe(false);
  });
});

describe('error statuses', () => {
  it('every error code the contract lists under a status is the one AppError answers with (ERROR_STATUS)', () => {
    const checked = new Set<string>();
    for (const op of operations) {
      for (const status of Object.keys(op.responses).map(Number)) {
        if (status < 400) continue;
        const schema = registeredResponse(op.method, op.path, status)?.schema;
        if (!schema) continue;
        // The codes this answer may carry: each one its schema accepts in a minimal error body.
        for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
          if (!schema.safeParse({ error: { code, message: 'x' } }).success) continue;
          expect(ERROR_STATUS[code], `${op.method} ${op.path} ${status} lists ${code}`).toBe(status);
          checked.add(code);
        }
      }
    }
    // Every code appears somewhere in the contract, so the table is checked whole.
    expect([...checked].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });
});
