/** Stock at or below this shows as "N left". */
export const LOW_STOCK_THRESHOLD = 5;

export type StockLabel = { text: string; tone: 'success' | 'warning' | 'danger' };
export type StockLevel = { level: 'out' | 'low' | 'in'; tone: StockLabel['tone'] };

/** The stock's level; the customer site words it in the visitor's language. */
export function stockLevel(quantity: number): StockLevel {
  if (quantity <= 0) return { level: 'out', tone: 'danger' };
  if (quantity <= LOW_STOCK_THRESHOLD) return { level: 'low', tone: 'warning' };
  return { level: 'in', tone: 'success' };
}

export function stockLabel(quantity: number): StockLabel {
  const { level, tone } = stockLevel(quantity);
  return { text: level === 'out' ? 'Out of stock' : level === 'low' ? `${quantity} left` : 'In stock', tone };
}

export function formatDimensions(g: { height: number; length: number; width: number }): string {
  const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  return `${f(g.length)} × ${f(g.width)} × ${f(g.height)} cm`;
}

/** A measure's number as the app shows it: whole, or one decimal. */
export function measure(n: number): number {
  return Number.isInteger(n) ? n : Math.round(n * 10) / 10;
}

/** "250 g" / "1.5 kg", with next-intl's formatter (units in the visitor's language). */
export function weightText(
  format: { number(value: number, options?: Intl.NumberFormatOptions): string },
  kg: number,
): string {
  return kg < 1
    ? format.number(Math.round(kg * 1000), { style: 'unit', unit: 'gram' })
    : format.number(kg, { style: 'unit', unit: 'kilogram', maximumFractionDigits: kg % 1 === 0 ? 0 : 1 });
}

export function formatWeight(kg: number): string {
  return kg < 1 ? `${Math.round(kg * 1000)} g` : `${kg.toFixed(kg % 1 === 0 ? 0 : 1)} kg`;
}
