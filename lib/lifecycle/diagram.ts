import { MACHINES, type Edge, type MachineName } from './machine';

// The state machines as Mermaid diagrams, drawn from the tables themselves: `npm run docs`
// writes them into the README and docs/architecture.md, and tests/state-machine.test.ts fails
// when a committed copy differs from what the tables draw.

const TITLES: Record<MachineName, string> = {
  order: 'Order (`orders.status`)',
  delivery: 'Delivery (`deliveries.status`)',
  drone: 'Drone (`drones.status`)',
  cell: 'Cell (`locker_cells_out.status` and `locker_cells_internal.status`)',
};

/** One machine as a Mermaid state diagram: an arrow per edge, labelled with its event and who makes it. */
export function mermaidOf(machine: MachineName): string {
  const edges = MACHINES[machine] as readonly Edge<string, string>[];
  const id = (s: string | null) => (s === null ? '[*]' : s);
  const arrows = edges.map((e) => `  ${id(e.from)} --> ${id(e.to)}: ${e.event} (${e.by.join(', ')})`);
  return ['stateDiagram-v2', ...arrows].join('\n');
}

/** All four machines, as the Markdown the docs carry. */
export function stateMachineMarkdown(): string {
  const names = Object.keys(MACHINES) as MachineName[];
  return names.map((m) => `#### ${TITLES[m]}\n\n\`\`\`mermaid\n${mermaidOf(m)}\n\`\`\``).join('\n\n');
}
