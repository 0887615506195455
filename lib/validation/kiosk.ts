import { z } from '@/lib/validation/zod';

// The kiosk's staff PIN (lib/kiosk/staff-pin.ts). Digits only, so it can be typed on the
// kiosk's keypad; patterns anyone would try first are refused when it is chosen.

const digits = (s: string) => s.split('').map(Number);
/** 000000, 111111, 123456, 987654 and the like. */
export function isTrivialPin(pin: string): boolean {
  const d = digits(pin);
  const steps = new Set(d.slice(1).map((v, i) => v - d[i]!));
  return steps.size === 1 && [0, 1, -1].includes([...steps][0]!);
}

const staffPin = z
  .string({ message: 'pin must be a string of 6 to 12 digits' })
  .regex(/^[0-9]{6,12}$/, 'pin must be 6 to 12 digits')
  .meta({ description: "The kiosk's staff PIN, 6 to 12 digits." });

/** The PIN chosen at pairing. */
export const staffPinSetSchema = z.object({
  pin: staffPin.refine((p) => !isTrivialPin(p), {
    message: 'Choose a PIN that is not a repeated digit or a run like 123456',
    // The kiosk shows this in its reader's language (lib/validation/localize.ts).
    params: { i18n: 'validation.custom.trivialPin' },
  }),
});

/** The PIN typed to open staff mode (any well-formed PIN; the server says whether it is right). */
export const staffSessionSchema = z.object({ pin: staffPin }).meta({ id: 'StaffPinRequest' });
