'use client';

import { useActionState } from 'react';
import { changeUserRoleAction } from '@/app/admin/users/actions';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
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
      <FormResult state={state} success={(d) => (d.changed ? `Role changed to ${d.role}. It applies on their next request.` : 'The role was already that; nothing changed.')} failTitle="Not changed" />
      <SubmitButton pending={pending} label="Change role" busyLabel="Saving…" />
    </form>
  );
}
