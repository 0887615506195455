'use client';

import { useTranslations } from 'next-intl';
import { useActionState, type ReactNode } from 'react';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { submitTo } from '@/components/ui/use-form-action';
import type { ActionResult, ActionState } from '@/lib/actions';

/**
 * Archive or restore (goods, lockers): not destructive, so no red and no confirmation box;
 * `blocked` says why it cannot be done now and disables the button.
 */
export function ArchiveForm({
  action,
  hidden,
  archived,
  label,
  explain,
  blocked,
}: {
  action: (prev: unknown, f: FormData) => Promise<ActionResult<{ archived: boolean }>>;
  hidden: Record<string, string>;
  archived: boolean;
  label: { archive: string; restore: string };
  explain: ReactNode;
  blocked?: string;
}) {
  const [state, run, pending] = useActionState<ActionState<{ archived: boolean }>, FormData>(action, null);
  const t = useTranslations('adminCommon.archive');
  return (
    <form onSubmit={submitTo(run)} noValidate className="space-y-3">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <input type="hidden" name="archived" value={archived ? 'false' : 'true'} />
      <div className="text-sm text-slate-800">{explain}</div>
      {blocked ? <p className="text-sm font-medium text-amber-900">{blocked}</p> : null}
      <FormResult
        state={state && !state.ok ? state : null}
        failTitle={archived ? t('notRestored') : t('notArchived')}
      />
      {blocked ? null : (
        <SubmitButton
          pending={pending}
          label={archived ? label.restore : label.archive}
          busyLabel={archived ? t('restoring') : t('archiving')}
          variant={archived ? 'primary' : 'secondary'}
        />
      )}
    </form>
  );
}
