import type { Metadata } from 'next';
import { PageLink } from '@/components/ui/page-link';
import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { getOrderForUser } from '@/db/queries/orders';
import { env } from '@/env';
import { OrderLive } from '@/components/orders/order-live';
import { requireUserPage } from '@/lib/auth/session';
import { uuidSchema } from '@/lib/http';
import { orderDetailJson } from '@/lib/orders/present';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('tracking'))('metaTitle') };
}
export const dynamic = 'force-dynamic';

export default async function OrderDetailPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const user = await requireUserPage(`/orders/${orderId}`);
  if (!uuidSchema.safeParse(orderId).success) notFound();
  const order = await getOrderForUser(db, { orderId, userId: user.id });
  if (!order) notFound();
  const t = await getTranslations('tracking');
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <nav aria-label={t('breadcrumb')} className="text-sm text-slate-600">
        <PageLink href="/orders" className="hover:underline">
          {t('myOrders')}
        </PageLink>{' '}
        / {order.good.name}
      </nav>
      <OrderLive
        initial={orderDetailJson(order)}
        tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }}
      />
    </div>
  );
}
