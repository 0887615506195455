import { z } from '@/lib/validation/zod';
import { AppError, errorResponse, type FieldErrors } from './errors';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** Turns zod issues into the contract's `fields` map: dotted path -> first message. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join('.') : '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export function validationError(fields: FieldErrors, message = 'Some fields are invalid.'): AppError {
  return new AppError('validation_failed', message, { fields });
}

/** Parses a value with a schema, or throws the contract's 400 with field messages. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, message?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(fieldErrors(result.error), message);
  return result.data;
}

function tooLarge(maxBytes: number) {
  return new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
}

/** Reads the body as text, refusing more than maxBytes without buffering it all. */
export async function readBody(req: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a JSON body, not yet validated: malformed or empty JSON becomes 400, oversize 413. */
export async function readJson(req: Request, opts: { maxBytes?: number } = {}): Promise<unknown> {
  const text = await readBody(req, opts.maxBytes ?? DEFAULT_MAX_BODY_BYTES);
  if (text.trim() === '') throw new AppError('validation_failed', 'The request body is empty; send a JSON document.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('validation_failed', 'The request body is not valid JSON.');
  }
}

/** Reads and validates a JSON body: malformed JSON and schema failures become 400, oversize 413. */
export async function parseJson<S extends z.ZodType>(
  req: Request,
  schema: S,
  opts: { maxBytes?: number } = {},
): Promise<z.infer<S>> {
  return parseWith(schema, await readJson(req, opts));
}

export const uuidSchema = z.uuid({ message: 'must be a UUID' });

/** Path ids that are not UUIDs cannot name anything: 404, like an unknown id. */
export function parseId(value: string | undefined, what: string): string {
  const result = uuidSchema.safeParse(value);
  if (!result.success) throw new AppError('not_found', `${what} not found`);
  return result.data;
}

type RouteContext<P> = { params: Promise<P> };
type Handler<P> = (args: { req: Request; params: P }) => Promise<Response> | Response;

/**
 * Wraps a route handler: every thrown error becomes the contract's error body with the
 * right status, and unexpected ones are logged and answered with a generic 500.
 */
export function apiRoute<P extends Record<string, string> = Record<string, never>>(handler: Handler<P>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    try {
      const params = ctx?.params ? await ctx.params : ({} as P);
      return await handler({ req, params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function json<T>(body: T, init?: ResponseInit): Response {
  return Response.json(body, init);
}

/**
 * Set by the web server (scripts/web-server.ts) on every request from the socket and the
 * trusted proxy hops; any copy sent by a client is overwritten, so it cannot be forged.
 */
export const CLIENT_IP_HEADER = 'x-skypost-client-ip';

/**
 * The client address, given the X-Forwarded-For chain, the socket's address and how many
 * proxies in front of us are trusted. Each trusted proxy appends the address it saw, so the
 * client is `trustedHops` entries left of the socket in [...forwardedFor, socket].
 */
export function resolveClientIp(
  forwardedFor: string | undefined,
  socketAddress: string | undefined,
  trustedHops: number,
): string {
  const socket = normaliseIp(socketAddress ?? '') || 'unknown';
  if (trustedHops <= 0) return socket;
  const chain = [
    ...(forwardedFor ?? '')
      .split(',')
      .map((s) => normaliseIp(s.trim()))
      .filter(Boolean),
    socket,
  ];
  return chain[Math.max(0, chain.length - 1 - trustedHops)] ?? socket;
}

function normaliseIp(value: string): string {
  // IPv4-mapped IPv6 ("::ffff:1.2.3.4") is the same client as "1.2.3.4".
  return value.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').slice(0, 64);
}

/** The client address for rate limits and audit rows (see CLIENT_IP_HEADER). */
export function clientIp(req: Request): string {
  return clientIpFromHeaders(req.headers);
}

export function clientIpFromHeaders(headers: Headers): string {
  return headers.get(CLIENT_IP_HEADER)?.slice(0, 64) || 'unknown';
}
