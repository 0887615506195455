import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// A device key is a 256-bit secret shown once; only its SHA-256 (hex) is stored.
// The prefix says which kind of device a leaked key belongs to.

export type DeviceKind = 'drone' | 'automat';

const PREFIX: Record<DeviceKind, string> = { drone: 'spd_', automat: 'spa_' };

export function formatDeviceKey(kind: DeviceKind, secret: Buffer): string {
  if (secret.length !== 32) throw new Error('A device key needs 32 bytes of secret');
  return PREFIX[kind] + secret.toString('base64url');
}

export function generateDeviceKey(kind: DeviceKind): string {
  return formatDeviceKey(kind, randomBytes(32));
}

/**
 * A demo key, stable across re-seeds: HMAC(seed, kind:name). Used only by the demo seed,
 * never for devices created in the admin portal or by the key CLI.
 */
export function deriveDemoDeviceKey(seed: string, kind: DeviceKind, name: string): string {
  return formatDeviceKey(kind, createHmac('sha256', seed).update(`${kind}:${name}`).digest());
}

export function hashDeviceKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
