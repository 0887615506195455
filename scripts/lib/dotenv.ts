import { existsSync } from 'node:fs';
import path from 'node:path';

// The scripts read .env the way `next start` does, so one file configures everything.
// Variables already set in the environment win.
for (const name of ['.env.local', '.env']) {
  const file = path.join(process.cwd(), name);
  if (existsSync(file)) process.loadEnvFile(file);
}
