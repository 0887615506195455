// npm run build — the production build (next build), stamped so `npm start` knows it is current.
import { buildProduction } from './lib/build';

process.exitCode = await buildProduction();
