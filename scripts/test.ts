// npm test — type-check, lint, formatting, production build, vitest (unit + integration on embedded
// PostgreSQL), process tests (the real `npm start`, which need the build), Playwright e2e in
// Debian's Chromium; ends with "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { portIsFree } from '@/db/embedded';
import { buildIsCurrent, buildProduction } from './lib/build';

const CHROMIUM = '/usr/bin/chromium';
const results = path.join(process.cwd(), '.test-results');

type Step = { name: string; ok: boolean; passed: number; failed: number; seconds: number; note?: string };
const steps: Step[] = [];

function say(line: string) {
  process.stdout.write(`\n\x1b[1m▶ ${line}\x1b[0m\n`);
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function step(name: string, fn: () => Promise<Omit<Step, 'name' | 'seconds'>>) {
  say(name);
  const started = Date.now();
  const result = await fn();
  steps.push({ name, seconds: Math.round((Date.now() - started) / 100) / 10, ...result });
}

const check = async (code: Promise<number>) => {
  const ok = (await code) === 0;
  return { ok, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
};

/** Debian's Chromium for Playwright: installed with apt-get when missing and possible. */
function ensureChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!hasApt)
    return (
      `Chromium is not installed at ${CHROMIUM} and apt-get is not available. ` +
      `Install Debian's "chromium" package (or a Chromium at ${CHROMIUM}) and run npm test again.`
    );
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (...args: string[]) => {
    const [cmd, ...rest] = root ? ['apt-get', ...args] : ['sudo', '-n', 'apt-get', ...args];
    return spawnSync(cmd!, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  };
  say('Installing Chromium with apt-get (one time)');
  const update = apt('update', '-qq');
  const install = update.status === 0 ? apt('install', '-y', '-qq', 'chromium') : update;
  if (install.status !== 0 || !existsSync(CHROMIUM)) {
    return (
      'Installing Chromium with apt-get failed' +
      `${root ? '' : ' (not root, and sudo without a password is not available)'}. ` +
      'Run `apt-get install -y chromium` as root and run npm test again.'
    );
  }
  return undefined;
}

async function freePort(from: number): Promise<number> {
  for (let p = from; p < from + 500; p++) if (await portIsFree(p)) return p;
  throw new Error(`no free port from ${from}`);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function main() {
  rmSync(results, { recursive: true, force: true });
  mkdirSync(results, { recursive: true });
  const node = process.execPath;

  await step('Type-check (tsc)', () => check(run(node, ['node_modules/typescript/bin/tsc', '--noEmit'])));
  await step('Lint (eslint)', () => check(run(node, ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', '.'])));
  await step('Formatting (prettier --check)', () =>
    check(run(node, ['node_modules/prettier/bin/prettier.cjs', '--check', '.'])),
  );
  await step('Production build (next build)', async () => {
    if (buildIsCurrent()) return { ok: true, passed: 1, failed: 0, note: 'up to date' };
    return check(buildProduction());
  });

  await step('Unit and integration tests (vitest, embedded PostgreSQL 17)', async () => {
    const file = path.join(results, 'vitest.json');
    const code = await run(node, [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ]);
    const report = readJson<{
      numPassedTests: number;
      numFailedTests: number;
      numTotalTestSuites: number;
      success: boolean;
    }>(file);
    if (!report) return { ok: false, passed: 0, failed: 1, note: `vitest exited ${code} without a report` };
    // A suite that failed to load counts as a failure even when no test inside it ran.
    const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
    return { ok: code === 0, passed: report.numPassedTests, failed };
  });

  await step('Process tests (the real npm start: ways of stopping, faults under load)', async () => {
    const file = path.join(results, 'vitest-process.json');
    const code = await run(node, [
      'node_modules/vitest/vitest.mjs',
      'run',
      '--config',
      'vitest.process.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ]);
    const report = readJson<{ numPassedTests: number; numFailedTests: number }>(file);
    if (!report) return { ok: false, passed: 0, failed: 1, note: `vitest exited ${code} without a report` };
    const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
    return { ok: code === 0, passed: report.numPassedTests, failed };
  });

  await step('End-to-end tests (Playwright, Chromium)', async () => {
    const problem = ensureChromium();
    if (problem) {
      process.stderr.write(`${problem}\n`);
      return { ok: false, passed: 0, failed: 1, note: 'Chromium missing' };
    }
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'skypost-e2e-'));
    const webPort = await freePort(3210);
    const pgPort = await freePort(54339);
    const env = {
      E2E_PORT: String(webPort),
      E2E_PG_PORT: String(pgPort),
      E2E_PG_DATA: path.join(dataDir, 'pg'),
      E2E_DISPATCH_PORT: String(await freePort(webPort + 1)),
      E2E_DISPATCH_PG_PORT: String(await freePort(pgPort + 1)),
      E2E_DISPATCH_PG_DATA: path.join(dataDir, 'pg-dispatch'),
    };
    try {
      const code = await run(node, ['node_modules/@playwright/test/cli.js', 'test'], env);
      type Stats = { stats?: { expected: number; unexpected: number; flaky: number; skipped: number } };
      const stats = readJson<Stats>(path.join(results, 'playwright.json'))?.stats;
      if (!stats) return { ok: false, passed: 0, failed: 1, note: `playwright exited ${code} without a report` };
      const failed = stats.unexpected + stats.flaky + (code !== 0 && stats.unexpected === 0 ? 1 : 0);
      return {
        ok: code === 0,
        passed: stats.expected,
        failed,
        note: stats.skipped ? `${stats.skipped} skipped` : undefined,
      };
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  process.stdout.write('\n\x1b[1mSummary\x1b[0m\n');
  for (const s of steps) {
    const mark = s.ok ? '\x1b[32m✓\x1b[0m' : '\x1b[31m✗\x1b[0m';
    process.stdout.write(
      `  ${mark} ${s.name.padEnd(62)} ${String(s.passed).padStart(4)} passed ` +
        `${String(s.failed).padStart(3)} failed  ${s.seconds}s${s.note ? `  (${s.note})` : ''}\n`,
    );
  }
  const passed = steps.reduce((n, s) => n + s.passed, 0);
  const failed = steps.reduce((n, s) => n + s.failed, 0);
  process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  process.exitCode = failed === 0 && steps.every((s) => s.ok) ? 0 : 1;
}

void main();
