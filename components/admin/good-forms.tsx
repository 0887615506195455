'use client';

import { useActionState } from 'react';
import { adjustStockAction, createGoodAction, deleteGoodAction, setGoodArchivedAction, updateGoodAction } from '@/app/admin/goods/actions';
import { ArchiveForm } from '@/components/admin/archive-controls';
import { ConfirmDeleteForm } from '@/components/admin/confirm-delete-form';
import { Alert } from '@/components/ui/alert';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { submitTo } from '@/components/ui/use-form-action';
import { TextField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';
import { plural } from '@/lib/admin/plural';

type GoodValues = { name: string; weight: number; height: number; length: number; width: number; quantityAvailable?: number };

function Fields({ values, errors, withStock }: { values?: GoodValues; errors: Record<string, string>; withStock: boolean }) {
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      <TextField id="name" name="name" label="Name" defaultValue={values?.name} required error={errors.name} className="lg:col-span-3" />
      <TextField id="weight" name="weight" label="Weight (kg)" inputMode="decimal" defaultValue={values?.weight} required error={errors.weight} />
      <TextField id="length" name="length" label="Length (cm)" inputMode="decimal" defaultValue={values?.length} required error={errors.length} />
      <TextField id="width" name="width" label="Width (cm)" inputMode="decimal" defaultValue={values?.width} required error={errors.width} />
      <TextField id="height" name="height" label="Height (cm)" inputMode="decimal" defaultValue={values?.height} required error={errors.height} />
      {withStock ? <TextField id="quantity_available" name="quantity_available" label="Stock" inputMode="numeric" defaultValue={values?.quantityAvailable ?? 0} required error={errors.quantity_available} /> : null}
    </div>
  );
}

export function CreateGoodForm() {
  const [state, action, pending] = useActionState<ActionState<{ id: string; name: string }>, FormData>(createGoodAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3" key={state?.ok ? state.data.id : 'new'}>
      <Fields errors={errors} withStock />
      <FormResult state={state} success={(d) => `“${d.name}” is in the catalog.`} failTitle="Not created" />
      <SubmitButton pending={pending} label="Create good" busyLabel="Creating…" />
    </form>
  );
}

export function EditGoodForm({ id, values }: { id: string; values: GoodValues }) {
  const [state, action, pending] = useActionState<ActionState<{ name: string }>, FormData>(updateGoodAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="good_id" value={id} />
      <Fields values={values} errors={errors} withStock={false} />
      <FormResult state={state} success={() => 'Saved.'} failTitle="Not saved" />
      <SubmitButton pending={pending} label="Save changes" busyLabel="Saving…" />
    </form>
  );
}

export function StockForm({ id, stock }: { id: string; stock: number }) {
  const [state, action, pending] = useActionState<ActionState<{ quantityAvailable: number }>, FormData>(adjustStockAction, null);
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="good_id" value={id} />
      <p className="text-sm">
        In stock: <strong data-testid="stock">{state?.ok ? state.data.quantityAvailable : stock}</strong>
      </p>
      <TextField id="delta" name="delta" label="Change (e.g. 10 or -3)" inputMode="numeric" required error={errors.delta} />
      <div role="status" aria-live="polite">{state && !state.ok && !errors.delta ? <Alert title="Not changed">{state.error}</Alert> : null}</div>
      <SubmitButton pending={pending} label="Update stock" busyLabel="Updating…" variant="secondary" />
    </form>
  );
}

/** Archive (hide from the catalog and new orders, keep for history) or restore. */
export function ArchiveGoodForm({ id, archivedAt, orders, openOrders }: { id: string; archivedAt: string | null; orders: number; openOrders: number }) {
  const archived = archivedAt !== null;
  return (
    <ArchiveForm
      action={setGoodArchivedAction}
      hidden={{ good_id: id }}
      archived={archived}
      label={{ archive: 'Archive good', restore: 'Restore to the catalog' }}
      explain={
        archived
          ? `Archived on ${archivedAt.slice(0, 10)}: hidden from the catalog and refused for new orders. Past orders still show it. Restore it to sell it again.`
          : `Hides it from the catalog and from new orders. It stays in ${orders === 0 ? 'the records' : `the history of its ${plural(orders, 'order', 'orders')}`}, and you can restore it at any time.`
      }
      blocked={
        !archived && openOrders > 0
          ? `${plural(openOrders, 'order', 'orders')} of this good ${openOrders === 1 ? 'is' : 'are'} still open. Archive it when ${openOrders === 1 ? 'that order is' : 'they are all'} collected or cancelled.`
          : undefined
      }
    />
  );
}

/** Deleting is only for a good no order names; otherwise it says to archive instead. */
export function DeleteGoodForm({ id, orders }: { id: string; orders: number }) {
  if (orders > 0) {
    return (
      <p className="text-sm text-slate-800">
        It cannot be deleted: {plural(orders, 'order names', 'orders name')} it, and customers keep their order history. Archive it instead.
      </p>
    );
  }
  return <ConfirmDeleteForm action={deleteGoodAction} hidden={{ good_id: id }} label="Delete good" impact="No order names it, so it can be deleted for good. This cannot be undone." />;
}
