import fc from 'fast-check';
import type { ZodType } from 'zod';
import { formToObject } from '@/lib/actions';
import type { ActionEntry, Role, RouteEntry } from './catalog';
import {
  WRONG_CONTENT_TYPES,
  badPathSegment,
  badQuery,
  deepValue,
  hostileString,
  hostileValue,
  mutateObject,
  rawBody,
} from './hostile';
import type { ServerAction } from './surface';
import type { Identity, World } from './world';

// Turns a catalog entry into fast-check generators of concrete HTTP requests, each labelled
// with what the answer must be.

export type Expect =
  /** Bad input, missing or wrong credentials: a 4xx with the contract's error body. */
  | 'reject'
  /** Valid apart from ignored parts (junk query, unused body): one of the entry's success statuses. */
  | 'success'
  /** next-auth's own endpoints: anything but a 5xx. */
  | 'non-5xx'
  /** A server action given bad input or no credentials: its `{ ok: false }` result or a 4xx. */
  | 'action-failure'
  /** A server action that is valid by design (takes no input): ok or failure, never a 5xx. */
  | 'action-any';

export type FuzzRequest = {
  what: string;
  method: string;
  path: string;
  identity: Identity;
  headers: Record<string, string>;
  data?: string | Buffer;
  multipart?: Record<string, string>;
  expect: Expect;
};

type Auth = 'valid' | 'none' | 'garbage' | 'cross';

const VALID_IDENTITY: Record<Role, Identity> = {
  anonymous: 'anonymous',
  customer: 'customerA',
  admin: 'admin',
  drone: 'droneA',
  automat: 'automatA',
};
const CROSS_IDENTITY: Record<Role, Identity[]> = {
  anonymous: ['customerA', 'droneA'],
  customer: ['droneA', 'automatA'],
  admin: ['customerA', 'droneA'],
  drone: ['automatA', 'customerA'],
  automat: ['droneA', 'customerA'],
};

const garbageAuth: fc.Arbitrary<Record<string, string>> = fc.oneof<fc.Arbitrary<Record<string, string>>[]>(
  fc.constantFrom<Record<string, string>>(
    { authorization: 'Bearer ' },
    { authorization: 'Bearer spd_' + 'A'.repeat(43) },
    { authorization: 'Bearer spa_' + '-'.repeat(43) },
    { authorization: 'Basic YWRtaW46YWRtaW4=' },
    { authorization: 'Bearer ' + 'x'.repeat(5000) },
    { cookie: 'next-auth.session-token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.' },
    { cookie: 'next-auth.session-token=' + 'x'.repeat(3000) },
    { cookie: '__Secure-next-auth.session-token=garbage; next-auth.csrf-token=%zz' },
  ),
  fc
    .string({ unit: 'grapheme-ascii', maxLength: 200 })
    .map((s) => ({ authorization: `Bearer ${s.replace(/[\r\n]/g, '')}` })),
);

/** JSON round trip, as the server will see it (NaN becomes null, -0 becomes 0, ...). */
function asSent(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

const rejects = (schema: ZodType, value: unknown) => !schema.safeParse(value).success;

function resolvePath(template: string, params: Record<string, string>): string {
  return template.replace(/\[([^\]]+)\]/g, (_, name: string) => params[name] ?? 'missing');
}

const authArb: fc.Arbitrary<Auth> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Auth>('valid') },
  { weight: 2, arbitrary: fc.constant<Auth>('none') },
  { weight: 1, arbitrary: fc.constant<Auth>('garbage') },
  { weight: 1, arbitrary: fc.constant<Auth>('cross') },
);

function identityFor({
  role,
  auth,
  pick,
  anyDevice = false,
}: {
  role: Role;
  auth: Auth;
  pick: number;
  anyDevice?: boolean;
}): Identity {
  if (auth === 'valid') return VALID_IDENTITY[role];
  if (auth === 'cross') return anyDevice ? 'customerA' : CROSS_IDENTITY[role][pick % 2]!;
  return 'anonymous';
}

type Body = { data?: string | Buffer; contentType?: string; invalid: boolean; what: string };

/** Bodies for a route: invalid for its schema if it has one, junk it ignores otherwise. */
function bodyArb(entry: RouteEntry, w: World): fc.Arbitrary<Body> {
  const schema = entry.body?.schema;
  const invalidValue = schema
    ? mutateObject(entry.body!.samples(w)).filter(
        (v) => entry.body!.anyValueIsRefused === true || rejects(schema, asSent(v)),
      )
    : hostileValue;
  const json = invalidValue.map((v): Body => ({
    data: JSON.stringify(v) ?? 'null',
    contentType: 'application/json',
    invalid: true,
    what: 'json',
  }));
  const wrongType = fc.tuple(invalidValue, fc.constantFrom(...WRONG_CONTENT_TYPES)).map(([v, ct]): Body => ({
    data: JSON.stringify(v) ?? 'null',
    contentType: ct,
    invalid: true,
    what: `content-type "${ct}"`,
  }));
  const raw = rawBody
    .filter((text) => {
      if (!schema || entry.body!.anyValueIsRefused) return true;
      try {
        return rejects(schema, JSON.parse(text));
      } catch {
        return true;
      }
    })
    .map((text): Body => ({ data: text, contentType: 'application/json', invalid: true, what: 'raw' }));
  const empty = fc.constantFrom<Body>(
    { data: '', contentType: 'application/json', invalid: true, what: 'empty' },
    { invalid: true, what: 'no body' },
  );
  return fc.oneof(
    { weight: 6, arbitrary: json },
    { weight: 2, arbitrary: wrongType },
    { weight: 2, arbitrary: raw },
    { weight: 1, arbitrary: empty },
  );
}

/** The fixed cases every route and action gets besides the generated ones. */
export const TEN_MB = 10 * 1024 * 1024;
function tenMegabytes(): string {
  return `{"a":"${'x'.repeat(TEN_MB)}"}`;
}

export function routeRequests(
  key: string,
  entry: RouteEntry,
  w: World,
): { fixed: FuzzRequest[]; generated: fc.Arbitrary<FuzzRequest> } {
  const [method, template] = key.split(' ') as [string, string];
  const hasBody = method !== 'GET';
  const ownParams = Object.fromEntries(Object.entries(entry.params ?? {}).map(([k, p]) => [k, p.own(w)]));

  if (entry.nextAuth) {
    const sub = fc.oneof(
      fc.constantFrom(
        'csrf',
        'session',
        'providers',
        'signin',
        'signin/password',
        'signout',
        'callback/password',
        'callback/phone',
        'callback/nope',
        'error',
        '_log',
        'verify-request',
        'signin/%zz',
        'callback/%00',
      ),
      badPathSegment,
    );
    const form = fc.dictionary(
      fc.constantFrom(
        'email',
        'password',
        'phone_number',
        'code',
        'csrfToken',
        'callbackUrl',
        'json',
        'redirect',
        '__proto__',
      ),
      hostileString.filter((s) => s.length < 5000),
      { maxKeys: 6 },
    );
    // With the real CSRF token (of the anonymous context) half of the time, so the credentials
    // providers' own validation is reached; the credentials never match an account.
    const generated = fc
      .tuple(
        sub,
        fc.boolean(),
        form,
        fc.constantFrom(
          'application/x-www-form-urlencoded',
          'application/json',
          'text/plain',
          'multipart/form-data; boundary=x',
        ),
        fc.option(badQuery(['callbackUrl', 'error', 'csrf']), { nil: '' }),
      )
      .map(([s, withCsrf, fields, ct, q]): FuzzRequest => {
        const all = withCsrf ? { ...fields, csrfToken: w.csrf } : fields;
        const form = new URLSearchParams(
          Object.entries(all).map(([k, v]) => [k, v.replace(/[\uD800-\uDFFF]/g, '?')]),
        ).toString();
        return {
          what: `${s} ${ct} csrf=${withCsrf}`,
          method,
          path: `/api/auth/${s}${q}`,
          identity: 'anonymous',
          headers: { 'content-type': ct },
          data: hasBody ? (ct.includes('json') ? JSON.stringify(all) : form) : undefined,
          expect: 'non-5xx',
        };
      });
    const fixed: FuzzRequest[] = hasBody
      ? [
          {
            what: '10 MB body',
            method,
            path: '/api/auth/callback/password',
            identity: 'anonymous',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            data: `email=${'x'.repeat(TEN_MB)}`,
            expect: 'non-5xx',
          },
          {
            what: 'empty body',
            method,
            path: '/api/auth/callback/password',
            identity: 'anonymous',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            data: '',
            expect: 'non-5xx',
          },
        ]
      : [];
    return { fixed, generated };
  }

  const paramNames = Object.keys(entry.params ?? {});
  const paramVariant = fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constant<string | null>(null) },
      { weight: 1, arbitrary: fc.constant('other') },
      { weight: 1, arbitrary: fc.constant('random') },
      { weight: 2, arbitrary: badPathSegment },
    ),
    {
      minLength: paramNames.length,
      maxLength: paramNames.length,
    },
  );
  const queryArb = fc.option(badQuery(entry.query?.keys ?? ['page', 'limit', 'q']), { nil: '', freq: 2 });
  const body = hasBody ? bodyArb(entry, w) : fc.constant<Body>({ invalid: false, what: 'no body' });

  const generated = fc
    .tuple(authArb, fc.nat(), paramVariant, queryArb, body)
    .map(([auth, pick, variants, query, b]): FuzzRequest => {
      const params: Record<string, string> = { ...ownParams };
      let badParam = false;
      paramNames.forEach((name, i) => {
        const v = variants[i];
        if (v === null || v === undefined) return;
        badParam = true;
        params[name] = v === 'other' ? entry.params![name]!.other(w) : v === 'random' ? crypto.randomUUID() : v;
      });
      const queryInvalid = entry.query
        ? rejects(
            entry.query.schema,
            Object.fromEntries(entry.query.keys.map((k) => [k, new URLSearchParams(query).get(k) ?? undefined])),
          )
        : false;
      const authBad = entry.role !== 'anonymous' && auth !== 'valid';
      const bodyInvalid = Boolean(entry.body) && b.invalid;
      const identity = identityFor({ role: entry.role, auth, pick, anyDevice: entry.anyDevice });
      const headers: Record<string, string> =
        auth === 'garbage' ? { ...fc.sample(garbageAuth, { numRuns: 1, seed: pick })[0]! } : {};
      if (b.contentType !== undefined) headers['content-type'] = b.contentType;
      return {
        what:
          `auth=${auth} params=${variants.map((v) => v ?? 'own').join(',') || '-'} ` +
          `query=${query ? 'junk' : '-'} body=${b.what}`,
        method,
        path: resolvePath(template, params) + query,
        identity,
        headers,
        data: b.data,
        expect: authBad || badParam || queryInvalid || bodyInvalid ? 'reject' : 'success',
      };
    });

  const path = resolvePath(template, ownParams);
  const valid = VALID_IDENTITY[entry.role];
  const refused: Expect = entry.body ? 'reject' : 'success';
  const fixed: FuzzRequest[] = hasBody
    ? [
        {
          what: '10 MB body',
          method,
          path,
          identity: valid,
          headers: { 'content-type': 'application/json' },
          data: tenMegabytes(),
          expect: refused,
        },
        {
          what: 'empty body',
          method,
          path,
          identity: valid,
          headers: { 'content-type': 'application/json' },
          data: '',
          expect: refused,
        },
        {
          what: 'nesting 100k deep',
          method,
          path,
          identity: valid,
          headers: { 'content-type': 'application/json' },
          data: '['.repeat(100_000) + ']'.repeat(100_000),
          expect: refused,
        },
        {
          what: 'nesting 2k deep (under the size cap)',
          method,
          path,
          identity: valid,
          headers: { 'content-type': 'application/json' },
          data: JSON.stringify(deepValue(2000, 'object')),
          expect: refused,
        },
      ]
    : [
        {
          what: 'long query',
          method,
          path: `${path}?${'q=x&'.repeat(1500)}`,
          identity: valid,
          headers: {},
          expect: entry.query ? 'success' : 'success',
        },
      ];
  return { fixed, generated };
}

/** What the action's schema sees for an input sent as a plain object or as FormData. */
function effectiveInput(entry: ActionEntry, input: unknown, asForm: boolean): unknown {
  if (asForm) {
    const fd = new FormData();
    for (const [k, v] of Object.entries(input as Record<string, string>)) fd.append(k, v);
    return formToObject(fd);
  }
  if (entry.arg === 'form' && entry.formOnly) return {};
  if (input === null || input === undefined) return {};
  return input;
}

const stringFields = (samples: Record<string, unknown>[]) =>
  mutateObject(samples.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, String(v)]))))
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))
    .map((o) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : (JSON.stringify(v) ?? '')])),
    );

export function actionRequests(
  action: ServerAction,
  entry: ActionEntry,
  w: World,
): { fixed: FuzzRequest[]; generated: fc.Arbitrary<FuzzRequest> } {
  const samples = entry.samples(w);
  const headers = (ct?: string): Record<string, string> => ({
    'next-action': action.id,
    accept: 'text/x-component',
    ...(ct ? { 'content-type': ct } : {}),
  });
  const base = { method: 'POST', path: action.page };
  const noInput = entry.arg === 'none';
  const failure = (auth: Auth, invalid: boolean): Expect =>
    noInput && auth === 'valid'
      ? 'action-any'
      : invalid || auth !== 'valid' || entry.role !== 'anonymous'
        ? 'action-failure'
        : 'action-any';

  const asJsonArgs = mutateObject(samples)
    .filter((v) => noInput || rejects(entry.schema, effectiveInput(entry, asSent(v), false)))
    .map((v) => ({ text: JSON.stringify(entry.arg === 'form' ? [null, v] : [v]), what: 'json args' }));
  // Multipart carries UTF-8: a lone surrogate arrives as U+FFFD. The schema judges what arrives,
  // so a value that only the surrogate made invalid is not sent as a "bad" request.
  const asForm = stringFields(samples)
    .map((v) =>
      Object.fromEntries(Object.entries(v).map(([k, val]) => [k, String(val).replace(/[\uD800-\uDFFF]/g, '\uFFFD')])),
    )
    .filter((v) => noInput || rejects(entry.schema, effectiveInput(entry, v, true)))
    .map((v) => {
      const multipart: Record<string, string> = { '0': entry.arg === 'form' ? '[null,"$K1"]' : '["$K1"]' };
      for (const [k, val] of Object.entries(v)) multipart[`_1_${k}`] = val;
      return multipart;
    });
  const rawArgs = fc.oneof(
    fc.constantFrom(
      '{}',
      '"x"',
      '1',
      'null',
      '[',
      '["$@1"]',
      '["$@ff"]',
      '["$K99"]',
      '["$Q1"]',
      '["$W1"]',
      '["$T"]',
      '["$h1"]',
      '["$B1"]',
      '["$n1e400"]',
      '["$D"]',
      '["$Iundefined"]',
      '[{"then":"$1:then"}]',
      '[{"__proto__":{"ok":true}}]',
      '["$F1"]',
      '["$S"]',
    ),
    rawBody,
    fc.array(hostileValue, { maxLength: 5 }).map((a) => JSON.stringify(a)),
  );

  const generated = fc
    .tuple(
      authArb,
      fc.nat(),
      fc.oneof(
        { weight: 4, arbitrary: asJsonArgs.map((x) => ({ kind: 'json' as const, ...x })) },
        { weight: 3, arbitrary: asForm.map((m) => ({ kind: 'form' as const, m })) },
        { weight: 2, arbitrary: rawArgs.map((t) => ({ kind: 'raw' as const, t })) },
      ),
    )
    .map(([auth, pick, body]): FuzzRequest => {
      const identity = identityFor({ role: entry.role, auth, pick });
      const extra = auth === 'garbage' ? fc.sample(garbageAuth, { numRuns: 1, seed: pick })[0]! : {};
      if (body.kind === 'form')
        return {
          ...base,
          what: `auth=${auth} multipart`,
          identity,
          headers: { ...headers(), ...extra },
          multipart: body.m,
          expect: failure(auth, true),
        };
      if (body.kind === 'json')
        return {
          ...base,
          what: `auth=${auth} ${body.what}`,
          identity,
          headers: { ...headers('text/plain;charset=UTF-8'), ...extra },
          data: body.text,
          expect: failure(auth, true),
        };
      // Raw payloads the client never sends: a 4xx from the framework or an ok:false answer.
      return {
        ...base,
        what: `auth=${auth} raw`,
        identity,
        headers: { ...headers('text/plain;charset=UTF-8'), ...extra },
        data: body.t,
        expect: noInput && auth === 'valid' ? 'action-any' : 'action-failure',
      };
    });

  const valid = VALID_IDENTITY[entry.role];
  const expectFixed: Expect = noInput ? 'action-any' : 'action-failure';
  const fixed: FuzzRequest[] = [
    {
      ...base,
      what: '10 MB body',
      identity: valid,
      headers: headers('text/plain;charset=UTF-8'),
      data: `[${JSON.stringify('x'.repeat(TEN_MB))}]`,
      expect: expectFixed,
    },
    {
      ...base,
      what: 'empty body',
      identity: valid,
      headers: headers('text/plain;charset=UTF-8'),
      data: '',
      expect: expectFixed,
    },
    {
      ...base,
      what: 'nesting 100k deep',
      identity: valid,
      headers: headers('text/plain;charset=UTF-8'),
      data: '['.repeat(100_000) + ']'.repeat(100_000),
      expect: expectFixed,
    },
    {
      ...base,
      what: 'unknown action id',
      identity: valid,
      headers: { ...headers('text/plain;charset=UTF-8'), 'next-action': 'f'.repeat(42) },
      data: '[]',
      expect: 'action-failure',
    },
  ];
  return { fixed, generated };
}
