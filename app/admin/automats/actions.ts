'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from '@/lib/validation/zod';
import { db } from '@/db';
import { listAutomatSummaries } from '@/db/queries/network';
import { runAuthorizedAction, type ActionResult } from '@/lib/actions';
import { localizedAction, type Wording } from '@/lib/admin/action-messages';
import {
  createAutomat,
  createCells,
  deleteAutomat,
  deleteCell,
  setAutomatArchived,
  setCellMaintenance,
  updateAutomat,
} from '@/lib/admin/automats';
import { issueDeviceKeyAsAdmin } from '@/lib/admin/drones';
import { auditContext } from '@/lib/admin/request';
import { requireAdmin } from '@/lib/auth/session';
import {
  automatArchiveSchema,
  automatDeleteSchema,
  automatSchema,
  automatUpdateSchema,
  cellDeleteSchema,
  cellMaintenanceSchema,
  cellsCreateSchema,
} from '@/lib/validation/fleet';

// Locker management: admin only (checked before the input is read), each change audited.
// Failures are worded in the operator's language (lib/admin/action-messages.ts).

const form = (f: unknown) => (f instanceof FormData ? f : undefined);

/** A marker another locker already has: said at the ArUco field, naming that locker. */
const arucoWording =
  (f: FormData | undefined): Wording =>
  async ({ error }, t) => {
    if (error.code !== 'conflict' || !error.fields?.aruco_id) return null;
    const aruco = Number(f?.get('aruco_id'));
    const self = f?.get('automat_id');
    const holder = Number.isInteger(aruco)
      ? (await listAutomatSummaries(db, { includeArchived: true })).find((a) => a.arucoId === aruco && a.id !== self)
      : undefined;
    const message = holder
      ? t('arucoTakenBy', { aruco, locker: `${holder.address}, ${holder.city}` })
      : t('arucoTaken', { aruco: String(f?.get('aruco_id') ?? '') });
    return { error: message, fieldErrors: { aruco_id: message } };
  };

/** A refusal of the domain (invalid_transition) in the words of `key`. */
const refusal =
  (key: string): Wording =>
  ({ error }, t) =>
    error.code === 'invalid_transition' ? { error: t(key) } : null;

export async function createAutomatAction(_prev: unknown, f: FormData): Promise<ActionResult<{ id: string }>> {
  const result = await localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction({ authenticate: auth, schema: automatSchema, input: form(f) }, (input, admin) =>
        domain(async () => {
          const a = await createAutomat(db, await auditContext(admin), input);
          revalidatePath('/admin/automats');
          return { id: a.id };
        }),
      ),
    arucoWording(form(f)),
  );
  // Straight to the new locker, where its cells are added.
  if (result.ok) redirect(`/admin/automats/${result.data.id}?created=1`);
  return result;
}

export async function updateAutomatAction(_prev: unknown, f: FormData): Promise<ActionResult<{ address: string }>> {
  return localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction(
        { authenticate: auth, schema: automatUpdateSchema, input: form(f) },
        ({ automat_id, ...input }, admin) =>
          domain(async () => {
            const a = await updateAutomat(db, await auditContext(admin), { id: automat_id, input });
            revalidatePath(`/admin/automats/${automat_id}`);
            return { address: a.address };
          }),
      ),
    arucoWording(form(f)),
  );
}

export async function setAutomatArchivedAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ archived: boolean }>> {
  return localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction(
        { authenticate: auth, schema: automatArchiveSchema, input: form(f) },
        ({ automat_id, archived }, admin) =>
          domain(async () => {
            await setAutomatArchived(db, await auditContext(admin), { id: automat_id, archived });
            revalidatePath('/admin/automats');
            revalidatePath(`/admin/automats/${automat_id}`);
            return { archived };
          }),
      ),
    refusal('automatOpenOrders'),
  );
}

export async function deleteAutomatAction(
  _prev: unknown,
  f: FormData,
): Promise<ActionResult<{ externalCells: number; internalCells: number }>> {
  const result = await localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction(
        { authenticate: auth, schema: automatDeleteSchema, input: form(f) },
        ({ automat_id }, admin) =>
          domain(async () => {
            const r = await deleteAutomat(db, await auditContext(admin), automat_id);
            revalidatePath('/admin/automats');
            return { externalCells: r.externalCells, internalCells: r.internalCells };
          }),
      ),
    refusal('automatHasOrders'),
  );
  if (result.ok) redirect('/admin/automats');
  return result;
}

export async function issueAutomatKeyAction(input: { automat_id: string }): Promise<ActionResult<{ key: string }>> {
  return localizedAction(requireAdmin, (auth, domain) =>
    runAuthorizedAction(
      { authenticate: auth, schema: z.object({ automat_id: z.uuid() }), input },
      ({ automat_id }, admin) =>
        domain(async () => {
          const key = await issueDeviceKeyAsAdmin(db, await auditContext(admin), { kind: 'automat', id: automat_id });
          revalidatePath(`/admin/automats/${automat_id}`);
          return { key };
        }),
    ),
  );
}

export async function createCellsAction(_prev: unknown, f: FormData): Promise<ActionResult<{ numbers: number[] }>> {
  return localizedAction(requireAdmin, (auth, domain) =>
    runAuthorizedAction({ authenticate: auth, schema: cellsCreateSchema, input: form(f) }, (input, admin) =>
      domain(async () => {
        const r = await createCells(db, await auditContext(admin), input);
        revalidatePath(`/admin/automats/${input.automat_id}`);
        return { numbers: r.numbers };
      }),
    ),
  );
}

export async function setCellMaintenanceAction(input: {
  cell_id: string;
  kind: string;
  maintenance: boolean;
}): Promise<ActionResult<{ status: string }>> {
  return localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction(
        { authenticate: auth, schema: cellMaintenanceSchema, input },
        ({ cell_id, kind, maintenance }, admin) =>
          domain(async () => {
            const r = await setCellMaintenance(db, await auditContext(admin), { kind, cellId: cell_id, maintenance });
            revalidatePath('/admin/automats', 'layout');
            return r;
          }),
      ),
    refusal('cellInUse'),
  );
}

export async function deleteCellAction(input: {
  cell_id: string;
  kind: string;
}): Promise<ActionResult<{ numberOfCells: number }>> {
  return localizedAction(
    requireAdmin,
    (auth, domain) =>
      runAuthorizedAction({ authenticate: auth, schema: cellDeleteSchema, input }, ({ cell_id, kind }, admin) =>
        domain(async () => {
          const r = await deleteCell(db, await auditContext(admin), { kind, cellId: cell_id });
          revalidatePath('/admin/automats', 'layout');
          return r;
        }),
      ),
    refusal('cellInUse'),
  );
}
