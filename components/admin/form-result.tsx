import type { ReactNode } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import type { ActionState } from '@/lib/actions';

/** A form's outcome, announced politely: the success text, or the error with its title. */
export function FormResult<T>({
  state,
  success,
  failTitle,
}: {
  state: ActionState<T>;
  success?: (data: T) => ReactNode;
  failTitle: string;
}) {
  return (
    <div role="status" aria-live="polite">
      {state?.ok && success ? <Alert tone="success">{success(state.data)}</Alert> : null}
      {state && !state.ok ? <Alert title={failTitle}>{state.error}</Alert> : null}
    </div>
  );
}

/** The submit button: disabled and busy while the action runs. */
export function SubmitButton({
  pending,
  label,
  busyLabel,
  variant,
}: {
  pending: boolean;
  label: string;
  busyLabel: string;
  variant?: 'primary' | 'secondary' | 'danger';
}) {
  return (
    <Button type="submit" variant={variant} disabled={pending} aria-busy={pending}>
      {pending ? busyLabel : label}
    </Button>
  );
}
