import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { db } from '@/db';
import { getOrderForUser } from '@/db/queries/orders';
import { env } from '@/env';
import { OrderLive } from '@/components/orders/order-live';
import { requireUserPage } from '@/lib/auth/session';
import { uuidSchema } from '@/lib/http';
import { orderDetailJson } from '@/lib/orders/present';

export const metadata: Metadata = { title: 'Order' };
export const dynamic = 'force-dynamic';

export default async function OrderDetailPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const user = await requireUserPage(`/orders/${orderId}`);
  if (!uuidSchema.safeParse(orderId).success) notFound();
  const order = await getOrderForUser(db, { orderId, userId: user.id });
  if (!order) notFound();
  return (
    <div className="mx-auto max-w-5xl px-4 py-8">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/orders" className="hover:underline">
          My orders
        </Link>{' '}
        / {order.good.name}
      </nav>
      <OrderLive initial={orderDetailJson(order)} tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }} />
    </div>
  );
}
