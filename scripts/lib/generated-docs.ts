import { stateMachineMarkdown } from '@/lib/lifecycle/diagram';

// A generated block inside a hand-written Markdown file, between two HTML comments that
// Markdown renderers do not show: `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`.

const open = (name: string) => `<!-- generated:${name} (npm run docs; do not edit by hand) -->`;
const close = (name: string) => `<!-- /generated:${name} -->`;

/** The block's content, or undefined when the file has no such block. */
export function readBlock(text: string, name: string): string | undefined {
  const start = text.indexOf(open(name));
  const end = text.indexOf(close(name));
  if (start < 0 || end < start) return undefined;
  return text.slice(start + open(name).length, end).trim();
}

/** The file with the block's content replaced; throws when the file has no such block. */
export function replaceBlock(text: string, name: string, content: string): string {
  const start = text.indexOf(open(name));
  const end = text.indexOf(close(name));
  if (start < 0 || end < start) throw new Error(`No generated block "${name}" (add ${open(name)} ... ${close(name)})`);
  return `${text.slice(0, start)}${open(name)}\n\n${content}\n\n${text.slice(end)}`;
}

/** The generated blocks of the docs: which file, which block, and what draws it. */
export const GENERATED_DOCS = [
  { file: 'README.md', block: 'state-machine', content: stateMachineMarkdown },
  { file: 'docs/architecture.md', block: 'state-machine', content: stateMachineMarkdown },
] as const;
