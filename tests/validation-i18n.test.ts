import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTranslator } from 'next-intl';
import type { Locale } from '@/i18n/config';
import { readMessages } from '@/i18n/messages';
import { AppError, type ErrorCode } from '@/lib/errors';
import { fieldErrors } from '@/lib/http';
import { registerSchema, phoneCodeRequestSchema } from '@/lib/validation/accounts';
import { signInSchema, changePasswordSchema } from '@/lib/validation/auth';
import { staffPinSetSchema } from '@/lib/validation/kiosk';
import { localizeAppError, localizeFieldErrors, type CatalogTranslator } from '@/lib/validation/localize';
import { createOrderSchema } from '@/lib/validation/orders';

// Form and action messages in the reader's language (lib/validation/localize.ts), while the
// schemas' English stays the API's error body.

function translator(locale: Locale): CatalogTranslator {
  // Any missing message or argument throws, so a wrong key cannot pass as a fallback text.
  // The catalog is read from disk, so its keys are untyped here (as in the app: getTranslations()).
  return createTranslator({
    locale,
    messages: readMessages(locale),
    timeZone: 'Europe/Moscow',
    onError: (e) => {
      throw e;
    },
  }) as unknown as CatalogTranslator;
}
const en = translator('en');
const ru = translator('ru');

function issuesOf(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, input: unknown) {
  const r = schema.safeParse(input);
  expect(r.success, JSON.stringify(input)).toBe(false);
  return r.error as Parameters<typeof localizeFieldErrors>[0];
}

describe('localizeFieldErrors', () => {
  it('names each field’s problem in Russian and in English, with zod’s own limits as arguments', () => {
    const error = issuesOf(registerSchema, { full_name: 'A', email: 'not-an-email', password: 'short' });
    expect(localizeFieldErrors(error, ru)).toEqual({
      full_name: 'Введите имя и фамилию (не меньше 2 символов).',
      email: 'Введите правильный адрес электронной почты, например name@example.com.',
      password: 'Не меньше 8 символов.',
    });
    expect(localizeFieldErrors(error, en)).toEqual({
      full_name: 'Enter your full name (at least 2 characters).',
      email: 'Enter a valid email address, such as name@example.com.',
      password: 'Use at least 8 characters.',
    });
  });

  it('leaves the API’s English body as it was', () => {
    const error = issuesOf(registerSchema, { full_name: 'A', email: 'not-an-email', password: 'short' });
    expect(fieldErrors(error)).toEqual({
      full_name: 'Enter your full name (at least 2 characters)',
      email: 'Enter a valid email address',
      password: 'Password must be at least 8 characters',
    });
  });

  it('tells an empty field from a short one by zod’s minimum', () => {
    expect(localizeFieldErrors(issuesOf(signInSchema, { email: '', password: '' }), ru)).toEqual({
      email: 'Введите адрес электронной почты.',
      password: 'Введите пароль.',
    });
    expect(
      localizeFieldErrors(issuesOf(changePasswordSchema, { current_password: '', new_password: 'abc' }), en),
    ).toEqual({
      current_password: 'Enter your current password.',
      new_password: 'Use at least 8 characters.',
    });
  });

  it('uses a refinement’s own message key, and a field’s catch-all for ids', () => {
    expect(localizeFieldErrors(issuesOf(staffPinSetSchema, { pin: '123456' }), ru).pin).toBe(
      'Выберите PIN-код, который не состоит из одной цифры и не идёт подряд, как 123456.',
    );
    expect(localizeFieldErrors(issuesOf(createOrderSchema, { good_id: 'x', parcel_automat_id: 'y' }), ru)).toEqual({
      good_id: 'Выберите товар в каталоге.',
      parcel_automat_id: 'Выберите постамат.',
    });
    expect(localizeFieldErrors(issuesOf(phoneCodeRequestSchema, { phone_number: '8 999' }), en).phone_number).toBe(
      'Use the international format, for example +79991234567.',
    );
  });

  it('falls back to the generic message of the issue for fields the catalog does not name', () => {
    const error = issuesOf(registerSchema.extend({ nickname: registerSchema.shape.full_name }), {
      full_name: 'Anna Petrova',
      email: 'a@b.co',
      password: 'long-enough-1',
      nickname: 'A',
    });
    expect(localizeFieldErrors(error, ru)).toEqual({
      nickname: 'Введите не меньше 2 символов.',
    });
    expect(localizeFieldErrors(error, en)).toEqual({ nickname: 'Enter at least 2 characters.' });
  });

  it('lets an area’s namespace name its fields first', () => {
    const messages = { ...readMessages('en'), shop: { fields: { full_name: { too_small: 'Shop name please' } } } };
    const t = createTranslator({ locale: 'en', messages, timeZone: 'Europe/Moscow' }) as unknown as CatalogTranslator;
    expect(
      localizeFieldErrors(issuesOf(registerSchema, { full_name: 'A', email: 'a@b.co', password: 'long-enough-1' }), t, {
        namespaces: ['shop'],
      }),
    ).toEqual({ full_name: 'Shop name please' });
  });
});

/** What lib/rate-limit.ts throws: the wait is in Retry-After. */
const rateLimited = (seconds: number) =>
  new AppError('rate_limited', `Too many requests. Try again in ${seconds} s.`, {
    headers: {
      'Retry-After': String(seconds),
    },
  });

describe('localizeAppError', () => {
  it('says how long to wait after a rate limit, with Russian plurals', () => {
    expect(localizeAppError(rateLimited(5), ru).message).toBe(
      'Слишком много попыток. Попробуйте снова через 5 секунд.',
    );
    expect(localizeAppError(rateLimited(2), ru).message).toBe(
      'Слишком много попыток. Попробуйте снова через 2 секунды.',
    );
    expect(localizeAppError(rateLimited(1), en).message).toBe('Too many attempts. Try again in 1 second.');
  });

  it('uses the action’s message for a code, and field messages for the domain’s flagged fields', () => {
    const tooLate = new AppError(
      'invalid_transition',
      'A drone is being assigned to this order right now, so it can no longer be cancelled.',
    );
    expect(
      localizeAppError(tooLate, ru, { errors: { invalid_transition: 'validation.actions.cancelTooLate' } }).message,
    ).toBe('Этот заказ уже нельзя отменить: его забрал дрон.');
    expect(localizeAppError(tooLate, ru).message).toBe('На этом этапе это сделать нельзя.');
    const wrong = new AppError('validation_failed', 'The current password is not correct.', {
      fields: {
        current_password: 'The current password is not correct',
      },
    });
    expect(localizeAppError(wrong, ru)).toEqual({
      message: 'Исправьте отмеченные поля.',
      fields: { current_password: 'Текущий пароль введён неверно.' },
    });
    expect(localizeAppError(wrong, en).message).toBe('Some fields need correcting: see the messages next to them.');
  });

  it('has a message in both languages for every error code of lib/errors.ts but "unauthorized"', () => {
    const source = readFileSync('lib/errors.ts', 'utf8');
    const union = /export type ErrorCode =([^;]+);/.exec(source)![1]!;
    const codes = [...union.matchAll(/'([a-z_]+)'/g)].map((m) => m[1] as ErrorCode);
    expect(codes.length).toBeGreaterThan(10);
    for (const t of [en, ru])
      for (const code of codes) expect(t.has(`validation.errors.${code}`), code).toBe(code !== 'unauthorized');
    // The sign-in refusal keeps the contract's words in every language (the page then asks to sign in).
    expect(localizeAppError(new AppError('unauthorized', 'Sign in to continue.'), ru).message).toBe(
      'Sign in to continue.',
    );
  });
});
