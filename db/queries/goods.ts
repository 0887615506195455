import 'server-only';
import { asc, ilike } from 'drizzle-orm';
import type { DbOrTx } from '../index';
import { goods } from '../schema';

export type CatalogGood = { id: string; name: string; weight: number; height: number; length: number; width: number; quantityAvailable: number };

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
function likePattern(q: string) {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listGoods(db: DbOrTx, { query }: { query?: string }): Promise<CatalogGood[]> {
  const base = db
    .select({
      id: goods.id,
      name: goods.name,
      weight: goods.weight,
      height: goods.height,
      length: goods.length,
      width: goods.width,
      quantityAvailable: goods.quantityAvailable,
    })
    .from(goods);
  const filtered = query ? base.where(ilike(goods.name, likePattern(query))) : base;
  return filtered.orderBy(asc(goods.name));
}
