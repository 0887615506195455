import { z } from '@/lib/validation/zod';

export const emailSchema = z
  .string({ message: 'Email is required' })
  .trim()
  .min(1, 'Email is required')
  .max(255, 'Email is too long')
  .pipe(z.email({ message: 'Enter a valid email address' }))
  .transform((v) => v.toLowerCase())
  // The document shows what the client sends: an email (zod would describe only the pipe's input).
  .meta({ format: 'email' });

export const passwordSchema = z
  .string({ message: 'Password is required' })
  .min(8, 'Password must be at least 8 characters')
  .max(200, 'Password is too long')
  .meta({ writeOnly: true });

export const signInSchema = z.object({
  email: emailSchema,
  password: z
    .string({ message: 'Password is required' })
    .min(1, 'Password is required')
    .max(200, 'Password is too long'),
});

export const changePasswordSchema = z.object({
  current_password: z
    .string({ message: 'Enter your current password' })
    .min(1, 'Enter your current password')
    .max(200, 'Password is too long'),
  new_password: passwordSchema,
});
