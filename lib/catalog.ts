/** Stock at or below this shows as "N left". */
export const LOW_STOCK_THRESHOLD = 5;

export type StockLabel = { text: string; tone: 'success' | 'warning' | 'danger' };

export function stockLabel(quantity: number): StockLabel {
  if (quantity <= 0) return { text: 'Out of stock', tone: 'danger' };
  if (quantity <= LOW_STOCK_THRESHOLD) return { text: `${quantity} left`, tone: 'warning' };
  return { text: 'In stock', tone: 'success' };
}

export function formatDimensions(g: { height: number; length: number; width: number }): string {
  const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return `${f(g.length)} × ${f(g.width)} × ${f(g.height)} cm`;
}

export function formatWeight(kg: number): string {
  return kg < 1 ? `${Math.round(kg * 1000)} g` : `${kg.toFixed(kg % 1 === 0 ? 0 : 1)} kg`;
}
