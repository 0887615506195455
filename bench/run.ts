// npm run bench [-- <name> [options]] — runs every benchmark in turn, or the one named.
// Each runs in its own process (node --import tsx bench/<file>.ts) and adds a dated row to
// docs/benchmarks.md. Benchmarks are not part of `npm test`.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const BENCHMARKS = {
  map: { file: 'fleet-map.ts', about: 'the live fleet map in Chromium, 8 vs 2,000 drones (about 2 minutes)' },
  http: {
    file: 'http.ts',
    about:
      'the device API and reads under load over HTTP with autocannon: health baseline, task, telemetry x1/x100, ' +
      'reads beside 500 req/s (about 3 minutes)',
  },
  telemetry: {
    file: 'telemetry.ts',
    about: 'telemetry ingest cost (in process) and the online-session rollup (about 2 minutes)',
  },
  dispatch: {
    file: 'dispatch.ts',
    about: 'order assignment throughput: 10,000 pending orders, 1, 2 and 4 worker processes (--orders N)',
  },
  multi: {
    file: 'multi.ts',
    about: 'two web instances and two workers on one PostgreSQL, direct and through PgBouncer (about 8 minutes)',
  },
  // The page queries it times import 'server-only', which is empty under the react-server condition.
  history: {
    file: 'history.ts',
    about:
      'telemetry history at 20 M rows: page queries (EXPLAIN, medians) and dropping a day partition vs DELETE ' +
      '(--rows N for a smoke run)',
    node: ['--conditions=react-server'],
  },
  pages: {
    file: 'pages.ts',
    about:
      'page load in Lighthouse mobile (performance, accessibility) and first-load JS of /, /catalog, ' +
      'an order page and /admin, against a static baseline page (--runs N, about 10 minutes)',
  },
  soak: {
    file: 'soak.ts',
    about: 'the production launcher for 30 minutes: 50 drones, 5% failures, customers ordering (--minutes N)',
  },
} as const;
type Name = keyof typeof BENCHMARKS;

const isName = (s: string): s is Name => Object.hasOwn(BENCHMARKS, s);
const list = () =>
  Object.entries(BENCHMARKS)
    .map(([n, b]) => `  ${n.padEnd(10)} ${b.about}`)
    .join('\n');

let current: ChildProcess | null = null;
// A Ctrl-C reaches the running benchmark too (same process group): it stops what it started,
// and we wait for it. A SIGTERM sent to us alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {
  current?.kill('SIGTERM');
  if (!current) process.exit(143);
});

function run(name: Name, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const b: { file: string; node?: readonly string[] } = BENCHMARKS[name];
    const child = spawn(process.execPath, [...(b.node ?? []), '--import', 'tsx', path.join('bench', b.file), ...args], {
      stdio: 'inherit',
    });
    current = child;
    child.on('exit', (code, signal) => {
      current = null;
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--help' || first === '-h') {
  process.stdout.write(`Usage: npm run bench [-- <name> [options]]\n\nBenchmarks:\n${list()}\n`);
  process.exit(0);
}
if (first !== undefined && !isName(first)) {
  process.stderr.write(
    `Unknown benchmark "${first}". Valid names:\n${list()}\n` +
      `Run one with \`npm run bench -- <name>\`, or all with \`npm run bench\`.\n`,
  );
  process.exit(2);
}

const names: Name[] = first === undefined ? (Object.keys(BENCHMARKS) as Name[]) : [first];
let failed = 0;
for (const name of names) {
  process.stdout.write(`\n== bench ${name}: ${BENCHMARKS[name].about}\n`);
  const code = await run(name, first === undefined ? [] : rest);
  if (code === 130 || code === 143) process.exit(code);
  if (code !== 0) {
    failed++;
    process.stderr.write(`bench ${name} failed (exit ${code})\n`);
  }
}
process.exitCode = failed ? 1 : 0;
