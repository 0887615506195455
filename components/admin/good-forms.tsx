'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useActionState } from 'react';
import {
  adjustStockAction,
  createGoodAction,
  deleteGoodAction,
  setGoodArchivedAction,
  updateGoodAction,
} from '@/app/admin/goods/actions';
import { ArchiveForm } from '@/components/admin/archive-controls';
import { ConfirmDeleteForm } from '@/components/admin/confirm-delete-form';
import { Alert } from '@/components/ui/alert';
import { FormResult, SubmitButton } from '@/components/admin/form-result';
import { submitTo } from '@/components/ui/use-form-action';
import { TextField } from '@/components/ui/field';
import type { ActionState } from '@/lib/actions';

type GoodValues = {
  name: string;
  weight: number;
  height: number;
  length: number;
  width: number;
  quantityAvailable?: number;
};

function Fields({
  values,
  errors,
  withStock,
}: {
  values?: GoodValues;
  errors: Record<string, string>;
  withStock: boolean;
}) {
  const t = useTranslations('adminCatalog.form');
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      <TextField
        id="name"
        name="name"
        label={t('name')}
        defaultValue={values?.name}
        required
        error={errors.name}
        className="lg:col-span-3"
      />
      <TextField
        id="weight"
        name="weight"
        label={t('weight')}
        inputMode="decimal"
        defaultValue={values?.weight}
        required
        error={errors.weight}
      />
      <TextField
        id="length"
        name="length"
        label={t('length')}
        inputMode="decimal"
        defaultValue={values?.length}
        required
        error={errors.length}
      />
      <TextField
        id="width"
        name="width"
        label={t('width')}
        inputMode="decimal"
        defaultValue={values?.width}
        required
        error={errors.width}
      />
      <TextField
        id="height"
        name="height"
        label={t('height')}
        inputMode="decimal"
        defaultValue={values?.height}
        required
        error={errors.height}
      />
      {withStock ? (
        <TextField
          id="quantity_available"
          name="quantity_available"
          label={t('stock')}
          inputMode="numeric"
          defaultValue={values?.quantityAvailable ?? 0}
          required
          error={errors.quantity_available}
        />
      ) : null}
    </div>
  );
}

export function CreateGoodForm() {
  const [state, action, pending] = useActionState<ActionState<{ id: string; name: string }>, FormData>(
    createGoodAction,
    null,
  );
  const t = useTranslations('adminCatalog.form');
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3" key={state?.ok ? state.data.id : 'new'}>
      <Fields errors={errors} withStock />
      <FormResult state={state} success={(d) => t('created', { name: d.name })} failTitle={t('notCreated')} />
      <SubmitButton pending={pending} label={t('create')} busyLabel={t('creating')} />
    </form>
  );
}

export function EditGoodForm({ id, values }: { id: string; values: GoodValues }) {
  const [state, action, pending] = useActionState<ActionState<{ name: string }>, FormData>(updateGoodAction, null);
  const t = useTranslations('adminCatalog.form');
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="good_id" value={id} />
      <Fields values={values} errors={errors} withStock={false} />
      <FormResult state={state} success={() => t('saved')} failTitle={t('notSaved')} />
      <SubmitButton pending={pending} label={t('save')} busyLabel={t('saving')} />
    </form>
  );
}

export function StockForm({ id, stock }: { id: string; stock: number }) {
  const [state, action, pending] = useActionState<ActionState<{ quantityAvailable: number }>, FormData>(
    adjustStockAction,
    null,
  );
  const t = useTranslations('adminCatalog.form');
  const errors = state && !state.ok ? state.fieldErrors : {};
  return (
    <form onSubmit={submitTo(action)} noValidate className="space-y-3">
      <input type="hidden" name="good_id" value={id} />
      <p className="text-sm">
        {t.rich('inStock', {
          count: state?.ok ? state.data.quantityAvailable : stock,
          b: (chunks) => <strong data-testid="stock">{chunks}</strong>,
        })}
      </p>
      <TextField id="delta" name="delta" label={t('change')} inputMode="numeric" required error={errors.delta} />
      <div role="status" aria-live="polite">
        {state && !state.ok && !errors.delta ? <Alert title={t('notChanged')}>{state.error}</Alert> : null}
      </div>
      <SubmitButton pending={pending} label={t('update')} busyLabel={t('updating')} variant="secondary" />
    </form>
  );
}

/** Archive (hide from the catalog and new orders, keep for history) or restore. */
export function ArchiveGoodForm({
  id,
  archivedAt,
  orders,
  openOrders,
}: {
  id: string;
  archivedAt: string | null;
  orders: number;
  openOrders: number;
}) {
  const t = useTranslations('adminCatalog.form');
  const format = useFormatter();
  const archived = archivedAt !== null;
  return (
    <ArchiveForm
      action={setGoodArchivedAction}
      hidden={{ good_id: id }}
      archived={archived}
      label={{ archive: t('archive'), restore: t('restore') }}
      explain={
        archived
          ? t('archivedExplain', { date: format.dateTime(new Date(archivedAt), 'date') })
          : t('archiveExplain', { orders })
      }
      blocked={!archived && openOrders > 0 ? t('openBlocked', { count: openOrders }) : undefined}
    />
  );
}

/** Deleting is only for a good no order names; otherwise it says to archive instead. */
export function DeleteGoodForm({ id, orders }: { id: string; orders: number }) {
  const t = useTranslations('adminCatalog.form');
  if (orders > 0) return <p className="text-sm text-slate-800">{t('cannotDelete', { count: orders })}</p>;
  return (
    <ConfirmDeleteForm
      action={deleteGoodAction}
      hidden={{ good_id: id }}
      label={t('delete')}
      impact={t('deleteImpact')}
    />
  );
}
