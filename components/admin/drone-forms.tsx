'use client';

import { useRouter } from 'next/navigation';
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
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <TextField
        id="call_sign"
        name="call_sign"
        label="Call sign"
        defaultValue={values?.callSign}
        error={errors.call_sign}
        placeholder="D-09"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        maxLength={12}
        hint={values ? 'Blank keeps the current one.' : 'Blank: the next free one (D-01, D-02, …).'}
      />
      <TextField id="model" name="model" label="Model" defaultValue={values?.model} required error={errors.model} placeholder="e.g. Clover 4" />
      <TextField id="ip_address" name="ip_address" label="IP address" defaultValue={values?.ipAddress} required error={errors.ip_address} placeholder="10.0.0.12" inputMode="text" autoComplete="off" />
    </div>
  );
}

export function CreateDroneForm() {
  const [state, action, pending] = useActionState<ActionState<{ id: string; model: string; callSign: string }>, FormData>(createDroneAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3" key={state?.ok ? state.data.id : 'new'}>
      <Fields errors={errors} />
      <FormResult
        state={state}
        success={(d) => (
          <>
            <span data-testid="registered-call-sign">{d.callSign}</span> ({d.model}) is registered.{' '}
            <a href={`/admin/drones/${d.id}`} className="font-semibold underline">
              Issue its device key
            </a>{' '}
            so it can report in.
          </>
        )}
        failTitle="Not registered"
      />
      <SubmitButton pending={pending} label="Register drone" busyLabel="Registering…" />
    </form>
  );
}

export function EditDroneForm({ id, values }: { id: string; values: DroneValues }) {
  const [state, action, pending] = useActionState<ActionState<{ model: string; callSign: string }>, FormData>(updateDroneAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="drone_id" value={id} />
      <Fields values={values} errors={errors} />
      <FormResult state={state} success={() => 'Saved.'} failTitle="Not saved" />
      <SubmitButton pending={pending} label="Save changes" busyLabel="Saving…" />
    </form>
  );
}

/**
 * Maintenance on/off; a drone on a delivery cannot be taken out of service. `onChanged`
 * refreshes whatever shows the status (by default, the server-rendered page).
 */
export function DroneMaintenanceControl({ id, status, onChanged }: { id: string; status: string; onChanged?: () => void | Promise<void> }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [pending, start] = useTransition();
  const on = status === 'maintenance';
  const toggle = () =>
    start(async () => {
      setMessage(null);
      const r = await setDroneMaintenanceAction({ drone_id: id, maintenance: !on });
      if (r.ok) {
        setMessage({ tone: 'success', text: on ? 'Back in service: it gets deliveries once it reports in.' : 'In maintenance: it gets no new deliveries.' });
        if (onChanged) await onChanged();
        else router.refresh();
      } else setMessage({ tone: 'error', text: r.error });
    });
  return (
    <div className="space-y-3 text-sm">
      <p className="text-slate-700">{on ? 'Under maintenance: the dispatcher skips it.' : status === 'busy' ? 'On a delivery: maintenance can start once it has dropped its parcel.' : 'In service.'}</p>
      <div role="status" aria-live="polite">
        {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      </div>
      <Button variant="secondary" disabled={pending || (!on && status === 'busy')} aria-busy={pending} onClick={toggle}>
        {pending ? 'Saving…' : on ? 'End maintenance' : 'Start maintenance'}
      </Button>
    </div>
  );
}
