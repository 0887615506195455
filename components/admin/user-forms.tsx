'use client';

import { useTranslations } from 'next-intl';
import { useActionState } from 'react';
import { changeUserRoleAction } from '@/app/admin/users/actions';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { submitTo } from '@/components/ui/use-form-action';
import type { UserRole } from '@/db/schema';
import type { ActionState } from '@/lib/actions';

export function RoleForm({ userId, role, self }: { userId: string; role: UserRole; self: boolean }) {
  const [state, action, pending] = useActionState<ActionState<{ role: string; changed: boolean }>, FormData>(
    changeUserRoleAction,
    null,
  );
  const t = useTranslations('adminOps');
  if (self) return <p className="text-sm text-slate-700">{t('user.self')}</p>;
  const roleName = (r: string) => (r === 'admin' || r === 'client' ? t(`role.${r}`) : r);
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="user_id" value={userId} />
      <label htmlFor="role" className="block text-sm font-medium text-slate-800">
        {t('user.roleLabel')}
      </label>
      <select
        id="role"
        name="role"
        defaultValue={role}
        className="block min-h-11 w-full rounded-lg border border-slate-300 bg-white px-3 text-base"
      >
        <option value="client">{t('user.roleClient')}</option>
        <option value="admin">{t('user.roleAdmin')}</option>
      </select>
      <FormResult
        state={state}
        success={(d) => (d.changed ? t('user.changed', { role: roleName(d.role) }) : t('user.unchanged'))}
        failTitle={t('user.notChanged')}
      />
      <SubmitButton pending={pending} label={t('user.submit')} busyLabel={t('user.submitting')} />
    </form>
  );
}
