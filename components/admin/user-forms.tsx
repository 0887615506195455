'use client';

import { useActionState } from 'react';
import { changeUserRoleAction } from '@/app/admin/users/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { submitTo } from '@/components/ui/use-form-action';
import type { UserRole } from '@/db/schema';
import type { ActionState } from '@/lib/actions';

export function RoleForm({ userId, role, self }: { userId: string; role: UserRole; self: boolean }) {
  const [state, action, pending] = useActionState<ActionState<{ role: string; changed: boolean }>, FormData>(changeUserRoleAction, null);
  if (self) return <p className="text-sm text-slate-700">This is you. Another administrator can change your role.</p>;
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="user_id" value={userId} />
      <label htmlFor="role" className="block text-sm font-medium text-slate-800">
        Role
      </label>
      <select id="role" name="role" defaultValue={role} className="block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 text-base">
        <option value="client">Customer</option>
        <option value="admin">Administrator: full access to this portal</option>
      </select>
      <div role="status" aria-live="polite">
        {state?.ok ? <Alert tone="success">{state.data.changed ? `Role changed to ${state.data.role}. It applies on their next request.` : 'The role was already that; nothing changed.'}</Alert> : null}
        {state && !state.ok ? <Alert title="Not changed">{state.error}</Alert> : null}
      </div>
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? 'Saving…' : 'Change role'}
      </Button>
    </form>
  );
}
