import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { choiceState, listAutomatChoices, listCatalog, orderability } from '@/db/queries/availability';
import { env } from '@/env';
import { AutomatPicker } from '@/components/orders/automat-picker';
import { Alert } from '@/components/ui/alert';
import { requireUserPage } from '@/lib/auth/session';
import { formatDimensions, formatWeight, stockLabel } from '@/lib/catalog';
import { uuidSchema } from '@/lib/http';

export const metadata: Metadata = { title: 'Order' };
export const dynamic = 'force-dynamic';

export default async function OrderPage({ params }: { params: Promise<{ goodId: string }> }) {
  const { goodId } = await params;
  await requireUserPage(`/order/${goodId}`);
  if (!uuidSchema.safeParse(goodId).success) notFound();
  const [good] = await listCatalog(db, { goodId });
  if (!good) notFound();
  const status = orderability(good);
  const choices = await listAutomatChoices(db, good);
  const stock = stockLabel(good.quantityAvailable);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/catalog" className="hover:underline">
          Catalog
        </Link>{' '}
        / Order
      </nav>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{good.name}</h1>
      <p className="mt-1 text-slate-700">
        {formatDimensions(good)} · {formatWeight(good.weight)} · {stock.text}
      </p>
      {!status.orderable ? (
        <div className="mt-6">
          <Alert title="This item cannot be ordered right now">
            {status.reason}. <Link href="/catalog" className="font-semibold underline">Back to the catalog</Link>
          </Alert>
        </div>
      ) : (
        <div className="mt-6">
          <AutomatPicker
            goodId={good.id}
            goodName={good.name}
            tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }}
            automats={choices.map((c) => {
              const state = choiceState(c);
              return {
                id: c.id,
                city: c.city,
                address: c.address,
                lat: c.lat,
                lon: c.lon,
                selectable: state.selectable,
                reason: state.selectable ? undefined : state.reason,
                freeFittingCells: c.freeFittingCells,
              };
            })}
          />
        </div>
      )}
    </div>
  );
}
