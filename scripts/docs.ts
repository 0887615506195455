// npm run docs: rewrites the generated blocks of the documentation from the code they
// describe (today the state machine diagrams of lib/lifecycle/machine.ts), so the prose
// around them is hand-written and the figures cannot drift. tests/state-machine.test.ts fails
// when a committed block is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GENERATED_DOCS, replaceBlock } from './lib/generated-docs';

const ROOT = path.resolve(import.meta.dirname, '..');

for (const doc of GENERATED_DOCS) {
  const file = path.join(ROOT, doc.file);
  const before = readFileSync(file, 'utf8');
  const after = replaceBlock(before, doc.block, doc.content());
  if (after !== before) writeFileSync(file, after);
  process.stdout.write(`${doc.file}: ${after === before ? 'up to date' : 'updated'} (${doc.block})\n`);
}
