import { z } from '@/lib/validation/zod';
import { emailSchema, passwordSchema } from './auth';

export const fullNameSchema = z
  .string({ message: 'Full name is required' })
  .trim()
  .min(2, 'Enter your full name (at least 2 characters)')
  .max(255, 'Full name is too long')
  .meta({ id: 'FullName', description: 'Trimmed before the length check.' });

export const phoneNumberSchema = z
  .string({ message: 'Phone number is required' })
  .trim()
  .transform((v) => v.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'Use the international format, e.g. +79991234567'))
  // The document shows the rule the cleaned number must meet, not only the raw string it accepts.
  .meta({
    id: 'PhoneNumber',
    pattern: '^\\+[1-9][0-9]{6,14}$',
    description: 'E.164. Spaces, brackets and dashes are stripped before the check.',
    examples: ['+79991234567'],
  });

export const registerSchema = z
  .object({
    full_name: fullNameSchema,
    email: emailSchema,
    password: passwordSchema,
  })
  .meta({ id: 'RegisterRequest' });

export const phoneCodeRequestSchema = z
  .object({
    phone_number: phoneNumberSchema,
    full_name: fullNameSchema.optional(),
  })
  .meta({ id: 'PhoneCodeRequest' });

export const phoneSignInSchema = z.object({
  phone_number: phoneNumberSchema,
  code: z
    .string({ message: 'Code is required' })
    .trim()
    .regex(/^[0-9]{6}$/, 'The code has 6 digits'),
});

export const profileSchema = z.object({
  full_name: fullNameSchema,
  email: emailSchema,
});

// The form bodies of next-auth's credentials callbacks (POST /api/auth/callback/password and
// /phone). next-auth reads them itself; these describe them in the contract and let the API
// tests check the forms they send.
const csrfTokenField = z.string();
const callbackUrl = z.string().optional();

export const passwordSignInFormSchema = z
  .object({
    email: z.string(),
    password: z.string().meta({ writeOnly: true }),
    csrfToken: csrfTokenField,
    callbackUrl: callbackUrl.meta({ description: 'Same-origin path to land on after signing in.' }),
  })
  .meta({ id: 'PasswordSignInForm' });

export const phoneSignInFormSchema = z
  .object({
    phone_number: phoneNumberSchema,
    code: z
      .string()
      .regex(/^[0-9]{6}$/)
      .meta({ writeOnly: true }),
    csrfToken: csrfTokenField,
    callbackUrl,
  })
  .meta({ id: 'PhoneSignInForm' });
