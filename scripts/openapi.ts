// npm run openapi — writes docs/openapi.yaml from the route registry (lib/contract/) and the zod
// schemas (lib/validation/). Run it after changing either; tests/openapi.test.ts fails until you do.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OPENAPI_FILE, renderOpenApiYaml } from '@/lib/contract/render';

const file = path.resolve(import.meta.dirname, '..', OPENAPI_FILE);
writeFileSync(file, await renderOpenApiYaml(file));
console.log(`wrote ${OPENAPI_FILE}`);
