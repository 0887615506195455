import fc from 'fast-check';

// Building blocks of hostile input: strings that break naive code (lone surrogates, NUL,
// bidi overrides, emoji sequences, overlong text), values of the wrong type, and objects
// that are missing fields, carry extra ones, or nest deeply.

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uD83D',
  '\uDE00x',
  '\u202Eevil\u202C',
  '\u200F\u061C\u2066',
  '\uFEFF',
  '\u200B\u200D',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈'.repeat(50),
  'e\u0301'.repeat(300),
  'Ａ',
  '\r\n\t\v\f',
  "' or 1=1 --",
  '"; drop table users; --',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '%zz',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  'true',
  'null',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{00000000-0000-4000-8000-000000000000}',
  'a'.repeat(256),
  'é'.repeat(3000),
  'x'.repeat(70_000),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 300, maxLength: 3000 }) },
);

const hostileNumber = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_SAFE_INTEGER - 2,
    0.1 + 0.2,
    1e-300,
    2 ** 31,
    -(2 ** 31) - 1,
    99_999_999.995,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);

/** A JSON value nested `depth` levels deep (arrays or objects). */
export function deepValue(depth: number, kind: 'array' | 'object'): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
}

/** Any value of a JSON body, most of them of the wrong type for any field. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(hostileString, hostileNumber), { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.oneof(hostileString, hostileNumber), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.integer({ min: 50, max: 3000 }).map((d) => deepValue(d, 'array')) },
  { weight: 1, arbitrary: fc.integer({ min: 500, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
);

const EXTRA_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'id',
  'user_id',
  'role',
  'status',
  'admin',
  '$where',
  '',
  ' ',
  '\u0000',
  '\uD800',
];

/**
 * Mutations of a valid sample object: drop fields, retype them, add extra ones, or replace
 * the whole body with something that is not an object. The caller keeps only the results
 * its schema rejects.
 */
export function mutateObject(samples: Record<string, unknown>[]): fc.Arbitrary<unknown> {
  const sample = fc.constantFrom(...samples);
  const mutated = fc
    .tuple(
      sample,
      fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]),
      fc.array(fc.tuple(fc.nat(), hostileValue), { minLength: 1, maxLength: 3 }),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom(...EXTRA_KEYS), hostileString), hostileValue), { maxLength: 3 }),
    )
    .map(([base, drop, retype, extra]) => {
      const keys = Object.keys(base);
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        if (!drop.includes(i)) out[k] = base[k];
      });
      for (const [i, v] of retype) if (keys.length) out[keys[i % keys.length]!] = v;
      for (const [k, v] of extra)
        Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
      return out;
    });
  return fc.oneof(
    { weight: 6, arbitrary: mutated },
    { weight: 1, arbitrary: hostileValue },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: sample.map((s) => [s, s]) },
  );
}

/** Raw bodies that are not (valid) JSON at all, or JSON of the wrong shape. */
export const rawBody: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '{',
    '}',
    '{"a":',
    '[1,2',
    '{"a":1}}',
    "{'a':1}",
    '{a:1}',
    'null',
    'true',
    '0',
    '"x"',
    '[]',
    'NaN',
    'undefined',
    '\uFEFF{}',
    '{}\u0000',
    '\u0000',
    '\uD800',
    '{"a":"\\uD800"}',
    '{"__proto__":{"admin":true}}',
    '{"a":1,"a":2}',
    '1e999999',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.integer({ min: 1000, max: 30_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1000, max: 30_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.integer({ min: 1000, max: 30_000 }).map((d) => '['.repeat(d)),
);

export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----fuzz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/octet-stream',
  '',
  'application/json, text/html',
] as const;

/** Path segments that are not UUIDs (already percent-encoded where needed). */
export const badPathSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'not-a-uuid',
    '1',
    '-1',
    '0',
    'null',
    'undefined',
    '%zz',
    '%E0%A4%A',
    '%00',
    '%2F',
    '%2e%2e%2f',
    '00000000-0000-4000-8000-00000000000G',
    'a'.repeat(5000),
    '%F0%9F%92%A9',
    '%ED%A0%80',
    '%C0%AF',
    '{}',
    '[]',
    'DROP%20TABLE',
  ),
  hostileString
    .filter((s) => s.length > 0 && s.length < 2000)
    .map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
);

/** Query strings: repeated keys, prototype names, malformed percent-encoding, huge values. */
export function badQuery(keys: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    fc.constantFrom(...keys, '__proto__', 'constructor', '', 'a[b]', 'a[]'),
    fc.string({ maxLength: 10 }).map(encodeURIComponent),
  );
  const value = fc.oneof(
    fc.constantFrom(
      '',
      '%zz',
      '%',
      '-1',
      '0',
      '1e9',
      '101',
      '1.5',
      'NaN',
      'Infinity',
      '0x10',
      ' 5',
      'null',
      'x'.repeat(2000),
      '%00',
      '%ED%A0%80',
    ),
    hostileString.filter((s) => s.length < 100).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '\uFFFD'))),
  );
  // At most a few kB in all: longer request lines are refused by Node's HTTP parser (431)
  // before any application code runs.
  return fc
    .array(fc.tuple(key, value), { minLength: 1, maxLength: 4 })
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`);
}
