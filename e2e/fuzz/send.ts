import type { APIRequestContext } from '@playwright/test';
import type { FuzzRequest } from './requests';

// Sends fuzz requests a few at a time and judges each answer against what it must be.

/** A request that takes longer than this is a hang. */
export const REQUEST_TIMEOUT_MS = 20_000;

export type Outcome =
  | { status: number; text: string; contentType: string; headers: Record<string, string>; ms: number }
  | { error: string; ms: number };

/**
 * A connection the server closed under a reused keep-alive socket (typically after it
 * refused a 10 MB body early) is retried once; a second failure is reported.
 */
export async function send(ctx: APIRequestContext, r: FuzzRequest): Promise<Outcome> {
  const first = await sendOnce(ctx, r);
  if ('error' in first && /ECONNRESET|socket hang up|EPIPE/.test(first.error)) return sendOnce(ctx, r);
  return first;
}

async function sendOnce(ctx: APIRequestContext, r: FuzzRequest): Promise<Outcome> {
  const started = Date.now();
  try {
    const res = await ctx.fetch(r.path, {
      method: r.method,
      headers: r.headers,
      ...(r.multipart ? { multipart: formData(r.multipart) } : r.data !== undefined ? { data: r.data } : {}),
      maxRedirects: 0,
      timeout: REQUEST_TIMEOUT_MS,
      failOnStatusCode: false,
    });
    const text = await res.text();
    return {
      status: res.status(),
      text,
      contentType: res.headers()['content-type'] ?? '',
      headers: res.headers(),
      ms: Date.now() - started,
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message.split('\n')[0]! : String(err), ms: Date.now() - started };
  }
}

/**
 * React's reply decoder reads a FormData argument's "_<n>_" entries only when they come
 * before the root field "0" (as React's client sends them); an object would put "0" first.
 */
function formData(fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) if (k !== '0') fd.append(k, v);
  if (fields['0'] !== undefined) fd.append('0', fields['0']);
  return fd;
}

/** Why an answer is wrong for the request, or null when it is right. */
export function contractError(contentType: string, text: string): string | null {
  if (!contentType.includes('application/json')) return `content-type ${contentType || '(none)'}, not JSON`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  const error = (body as { error?: unknown })?.error as Record<string, unknown> | undefined;
  if (!error || typeof error !== 'object') return 'no "error" object';
  if (typeof error.code !== 'string' || !error.code) return 'error.code missing';
  if (typeof error.message !== 'string' || !error.message) return 'error.message missing';
  const extra = Object.keys(body as object)
    .filter((k) => k !== 'error')
    .concat(Object.keys(error).filter((k) => !['code', 'message', 'fields'].includes(k)));
  if (extra.length) return `unexpected keys ${extra.join(',')}`;
  if ('fields' in error && (typeof error.fields !== 'object' || error.fields === null))
    return 'error.fields is not an object';
  return null;
}

export function judge(r: FuzzRequest, o: Outcome, success: number[]): string | null {
  if ('error' in o)
    return o.ms >= REQUEST_TIMEOUT_MS - 500
      ? `hang (no answer in ${REQUEST_TIMEOUT_MS} ms)`
      : `request failed: ${o.error}`;
  if (o.status >= 500) return `${o.status}`;
  const is4xx = o.status >= 400 && o.status < 500;
  switch (r.expect) {
    case 'non-5xx':
      return null;
    case 'reject':
      if (!is4xx) return `${o.status}, expected a 4xx`;
      return contractError(o.contentType, o.text);
    case 'success':
      if (success.includes(o.status)) return null;
      return is4xx ? contractError(o.contentType, o.text) : `${o.status}, expected ${success.join('/')}`;
    case 'action-failure':
      if (is4xx) return null;
      if (o.status === 200 && /"ok":false/.test(o.text)) return null;
      return `${o.status}, expected the action's { ok: false } or a 4xx`;
    case 'action-any':
      if (is4xx || (o.status === 200 && /"ok":(true|false)/.test(o.text))) return null;
      return `${o.status}, expected the action's result or a 4xx`;
  }
}

export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
