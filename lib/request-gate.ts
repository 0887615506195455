import busboy from 'next/dist/compiled/busboy';
import { AppError, errorResponse } from './errors';

// Requests that Next.js itself would answer with a 500, before any of our code runs: a
// malformed percent-escape in a path segment (Next decodes dynamic params and throws), and
// server-action payloads that React's reply decoder throws on (empty, not JSON, not an
// argument list, dangling "$" references, too deep, over the body limit). The hostile-input
// suite (e2e/fuzz) found each of these; here they become the contract's 400 or 413.
//
// A server action call from our own client is what React's encodeReply produces for plain
// objects and FormData: a JSON argument array as text/plain, or multipart with that array
// in field "0" and each FormData argument's entries under "_<n>_" (referenced as "$K<n>"). Nothing else is needed,
// so nothing else is let through.

/** Next.js's default `serverActions.bodySizeLimit`. */
export const ACTION_BODY_LIMIT = 1024 * 1024;
const MAX_DEPTH = 32;
const PRIMITIVE_REFS = new Set(['$undefined', '$NaN', '$Infinity', '$-Infinity', '$-0']);

const refuse = (message: string) => errorResponse(new AppError('validation_failed', message));

/** True when a path segment holds a percent-escape that does not decode. */
export function badPathEncoding(pathname: string): boolean {
  for (const segment of pathname.split('/')) {
    try {
      decodeURIComponent(segment);
    } catch {
      return true;
    }
  }
  return false;
}

/** True for a string that React's reply decoder reads as a value we send, not a reference. */
function plainString(s: string, forms: Set<string>): boolean {
  if (s[0] !== '$') return true;
  if (s.startsWith('$$') || PRIMITIVE_REFS.has(s)) return true;
  if (/^\$n-?[0-9]{1,300}$/.test(s)) return true;
  if (s.startsWith('$D')) return !Number.isNaN(Date.parse(s.slice(2)));
  const form = /^\$K([0-9a-f]{1,8})$/.exec(s);
  return form !== null && forms.has(form[1]!);
}

function plainValue(v: unknown, forms: Set<string>, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (typeof v === 'string') return plainString(v, forms);
  if (Array.isArray(v)) return v.every((x) => plainValue(x, forms, depth + 1));
  if (v !== null && typeof v === 'object') return Object.values(v).every((x) => plainValue(x, forms, depth + 1));
  return true;
}

function plainArguments(text: string, forms: Set<string>): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  return Array.isArray(value) && plainValue(value, forms, 0);
}

/** The multipart fields, parsed by the same parser (and options) Next.js uses for actions. */
function multipartFields(headers: Headers, body: Buffer): Promise<Map<string, string> | null> {
  return new Promise((resolve) => {
    const fields = new Map<string, string>();
    let parser: ReturnType<typeof busboy>;
    try {
      parser = busboy({
        defParamCharset: 'utf8',
        headers: Object.fromEntries(headers),
        limits: { fieldSize: ACTION_BODY_LIMIT },
      });
    } catch {
      resolve(null);
      return;
    }
    parser.on('field', (name: string, value: string) => fields.set(name, value));
    parser.on('file', (name: string, stream: NodeJS.ReadableStream) => {
      fields.set(name, '');
      stream.resume();
    });
    parser.on('error', () => resolve(null));
    parser.on('close', () => resolve(fields));
    // A body that ends inside a part neither closes nor errors: without this the request
    // would wait forever. Whatever resolved first wins.
    parser.on('finish', () => setImmediate(() => resolve(null)));
    parser.end(body);
  });
}

async function readCapped(req: Request, limit: number): Promise<Buffer | null> {
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: cancelling one branch of a cloned (teed) body settles only when the
      // other branch is cancelled too, so awaiting it would hang the request.
      void reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
}

async function screenServerAction(req: Request): Promise<Response | null> {
  const tooLarge = () =>
    errorResponse(new AppError('payload_too_large', `The request body is larger than ${ACTION_BODY_LIMIT} bytes.`));
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > ACTION_BODY_LIMIT) return tooLarge();
  const body = await readCapped(req.clone(), ACTION_BODY_LIMIT);
  if (!body) return tooLarge();
  const type = req.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    const fields = await multipartFields(req.headers, body);
    const root = fields?.get('0');
    if (!fields || root === undefined) return refuse('The action request is not a valid form submission.');
    const forms = new Set(
      [...fields.keys()].map((k) => /^_([0-9a-f]+)_/.exec(k)?.[1]).filter((n): n is string => n !== undefined),
    );
    return plainArguments(root, forms) ? null : refuse('The action arguments are malformed.');
  }
  return plainArguments(body.toString('utf8'), new Set()) ? null : refuse('The action arguments are malformed.');
}

/** A response refusing the request, or null to let it through. */
export async function screenRequest(req: Request): Promise<Response | null> {
  if (badPathEncoding(new URL(req.url).pathname))
    return refuse('The request path contains a malformed percent-escape.');
  if (req.method === 'POST' && req.headers.has('next-action')) return screenServerAction(req);
  return null;
}
