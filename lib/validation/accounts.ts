import { z } from '@/lib/validation/zod';
import { emailSchema, passwordSchema } from './auth';

export const fullNameSchema = z
  .string({ message: 'Full name is required' })
  .trim()
  .min(2, 'Enter your full name (at least 2 characters)')
  .max(255, 'Full name is too long');

export const phoneNumberSchema = z
  .string({ message: 'Phone number is required' })
  .trim()
  .transform((v) => v.replace(/[\s()-]/g, ''))
  .pipe(z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'Use the international format, e.g. +79991234567'));

export const registerSchema = z.object({
  full_name: fullNameSchema,
  email: emailSchema,
  password: passwordSchema,
});

export const phoneCodeRequestSchema = z.object({
  phone_number: phoneNumberSchema,
  full_name: fullNameSchema.optional(),
});

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
