import type { SeedSummary } from '@/scripts/lib/seed';

/** The demo logins and device keys, as a block for the terminal. */
export function formatSeedReport(summary: SeedSummary, baseUrl?: string): string {
  const lines: string[] = [];
  const i = summary.inserted;
  lines.push(
    `Seed: inserted ${i.users} users, ${i.goods} goods, ${i.drones} drones, ${i.automats} automats, ${i.cells} cells.`,
  );
  if (summary.logins.length) {
    lines.push('', 'Demo logins:');
    for (const l of summary.logins) lines.push(`  ${l.role.padEnd(6)} ${l.email.padEnd(20)} password: ${l.password}`);
    if (baseUrl) lines.push(`  sign in at ${baseUrl}/signin`);
  }
  if (summary.deviceKeys.length) {
    lines.push('', 'Demo device keys (Authorization: Bearer <key>; demo only, derived from DEMO_DEVICE_KEY_SEED):');
    for (const k of summary.deviceKeys) lines.push(`  ${k.kind.padEnd(7)} ${k.id}  ${k.key}  ${k.label}`);
  }
  return lines.join('\n');
}
