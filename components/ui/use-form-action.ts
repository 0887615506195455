'use client';

import { startTransition, type FormEvent } from 'react';

/**
 * Submits a form to a useActionState action without React's automatic form reset, so that
 * after a validation error the user's input stays in place next to the inline messages.
 */
export function submitTo(action: (data: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    startTransition(() => action(data));
  };
}
