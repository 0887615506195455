'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useActionState, useState, useTransition } from 'react';
import { setDroneMaintenanceAction } from '@/app/admin/actions';
import { createDroneAction, updateDroneAction } from '@/app/admin/drones/actions';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { submitTo } from '@/components/ui/use-form-action';
import type { ActionState } from '@/lib/actions';

type DroneValues = { callSign: string; model: string; ipAddress: string };

function Fields({ values, errors }: { values?: DroneValues; errors: Record<string, string> }) {
  const t = useTranslations('adminFleet.droneForm');
  return (
    // The edit form sits in the drone page's side column: one field a row there.
    <div className={values ? 'grid gap-3' : 'grid gap-3 sm:grid-cols-3'}>
      <TextField
        id="call_sign"
        name="call_sign"
        label={t('callSign')}
        defaultValue={values?.callSign}
        error={errors.call_sign}
        placeholder="D-09"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={12}
        hint={values ? t('callSignKeep') : t('callSignNext')}
      />
      <TextField
        id="model"
        name="model"
        label={t('model')}
        defaultValue={values?.model}
        required
        error={errors.model}
        placeholder={t('modelPlaceholder')}
      />
      <TextField
        id="ip_address"
        name="ip_address"
        label={t('ipAddress')}
        defaultValue={values?.ipAddress}
        required
        error={errors.ip_address}
        placeholder="10.0.0.12"
        inputMode="text"
        autoComplete="off"
      />
    </div>
  );
}

export function CreateDroneForm() {
  const t = useTranslations('adminFleet.droneForm');
  const [state, action, pending] = useActionState<
    ActionState<{ id: string; model: string; callSign: string }>,
    FormData
  >(createDroneAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3" key={state?.ok ? state.data.id : 'new'}>
      <Fields errors={errors} />
      <FormResult
        state={state}
        success={(d) => (
          <>
            {t.rich('registered', {
              callSign: d.callSign,
              sign: (chunks) => <span data-testid="registered-call-sign">{chunks}</span>,
              model: d.model,
              key: (chunks) => (
                <a href={`/admin/drones/${d.id}`} className="font-semibold underline">
                  {chunks}
                </a>
              ),
            })}
          </>
        )}
        failTitle={t('notRegistered')}
      />
      <SubmitButton pending={pending} label={t('register')} busyLabel={t('registering')} />
    </form>
  );
}

export function EditDroneForm({ id, values }: { id: string; values: DroneValues }) {
  const t = useTranslations('adminFleet.droneForm');
  const [state, action, pending] = useActionState<ActionState<{ model: string; callSign: string }>, FormData>(
    updateDroneAction,
    null,
  );
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="drone_id" value={id} />
      <Fields values={values} errors={errors} />
      <FormResult state={state} success={() => t('saved')} failTitle={t('notSaved')} />
      <SubmitButton pending={pending} label={t('save')} busyLabel={t('saving')} />
    </form>
  );
}

/**
 * Maintenance on/off; a drone on a delivery cannot be taken out of service. `onChanged`
 * refreshes whatever shows the status (by default, the server-rendered page).
 */
export function DroneMaintenanceControl({
  id,
  status,
  onChanged,
}: {
  id: string;
  status: string;
  onChanged?: () => void | Promise<void>;
}) {
  const router = useRouter();
  const t = useTranslations('adminFleet.maintenance');
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [pending, start] = useTransition();
  const on = status === 'maintenance';
  const toggle = () =>
    start(async () => {
      setMessage(null);
      const r = await setDroneMaintenanceAction({ drone_id: id, maintenance: !on });
      if (r.ok) {
        setMessage({ tone: 'success', text: on ? t('ended') : t('started') });
        if (onChanged) await onChanged();
        else router.refresh();
      } else setMessage({ tone: 'error', text: r.error });
    });
  return (
    <div className="space-y-3 text-sm">
      <p className="text-slate-700">{on ? t('on') : status === 'busy' ? t('busy') : t('inService')}</p>
      <div role="status" aria-live="polite">
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
      <Button variant="secondary" disabled={pending || (!on && status === 'busy')} aria-busy={pending} onClick={toggle}>
        {pending ? t('saving') : on ? t('end') : t('start')}
      </Button>
    </div>
  );
}
