import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { env } from '@/env';
import { FleetConsole } from '@/components/admin/fleet-console';
import { fleetRules } from '@/lib/fleet-rules';
import { fleetFeed } from '@/lib/admin/fleet-live';
import { requireAdminPage } from '@/lib/auth/session';
import { uuidSchema } from '@/lib/http';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('adminFleet.console');
  return { title: t('title') };
}
export const dynamic = 'force-dynamic';

export default async function AdminFleetPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage('/admin');
  const params = await searchParams;
  const id = (v: unknown) => (typeof v === 'string' && uuidSchema.safeParse(v).success ? v : undefined);
  const initial = await fleetFeed().snapshot();
  return (
    <FleetConsole
      initial={initial}
      tiles={{ url: env().MAP_TILE_URL, attribution: env().MAP_TILE_ATTRIBUTION }}
      rules={fleetRules()}
      focus={{ drone: id(params.drone), automat: id(params.automat) }}
    />
  );
}
