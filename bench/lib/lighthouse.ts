import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { allProcs } from './procs';

// One Lighthouse run, through its CLI in a child process of its own: the CLI launches and
// closes its own Chromium (CHROME_PATH), so a run that hangs or crashes is ended by killing
// one process group, and no browser state carries over from one run to the next.

export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

export type LighthouseFigures = {
  performance: number;
  accessibility: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  siMs: number;
  /** Script bytes the page transferred over the whole run (lazy chunks included), from the network log. */
  scriptTransferBytes: number;
  /** The accessibility audits that failed, by id (empty when the score is 100). */
  failedA11y: string[];
  /** The largest contentful paint's element, as Lighthouse describes it. */
  lcpElement: string;
};

type Audit = { score: number | null; numericValue?: number; details?: { items?: unknown[] } };
type Lhr = {
  categories: Record<string, { score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, Audit>;
  runtimeError?: { code: string; message: string };
  runWarnings?: string[];
};

/**
 * Kills the Chromium of one run: chrome-launcher starts it detached (its own process group), so
 * killing the CLI's group leaves it running. Found by the run's own profile folder in its
 * command line, which nothing else uses.
 */
function killBrowserOf(dir: string) {
  for (const p of allProcs()) {
    if (!p.cmd.includes(dir)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

const lighthouseDir = () => path.dirname(createRequire(import.meta.url).resolve('lighthouse/package.json'));
const lighthouseCli = () => path.join(lighthouseDir(), 'cli', 'index.js');

export function lighthouseVersion(): string {
  try {
    return (JSON.parse(readFileSync(path.join(lighthouseDir(), 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'unknown';
  }
}

/**
 * Mobile (Lighthouse's defaults: Moto G Power screen, simulated slow 4G and 4x CPU slowdown),
 * performance and accessibility only. `headers` go with every request of the page (a session
 * cookie for signed-in pages). Rejects when Lighthouse could not measure the page.
 */
export async function runLighthouse(
  url: string,
  opts: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<LighthouseFigures> {
  if (!existsSync(CHROME_PATH)) throw new Error(`Chromium not found at ${CHROME_PATH} (set CHROME_PATH)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skypost-lh-'));
  const out = path.join(dir, 'report.json');
  const args = [
    lighthouseCli(),
    url,
    '--quiet',
    '--output=json',
    `--output-path=${out}`,
    '--only-categories=performance,accessibility',
    '--max-wait-for-load=60000',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage ' +
      '--disable-background-networking --disable-component-update --disable-sync --no-first-run ' +
      `--user-data-dir=${path.join(dir, 'profile')}`,
    ...(opts.headers ? [`--extra-headers=${JSON.stringify(opts.headers)}`] : []),
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, args, {
        env: { ...process.env, CHROME_PATH },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
      const timer = setTimeout(() => {
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {
          // already gone
        }
        reject(new Error(`Lighthouse did not finish ${url} within ${(opts.timeoutMs ?? 180_000) / 1000} s`));
      }, opts.timeoutMs ?? 180_000);
      const stopChild = () => {
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch {
          // already gone
        }
        killBrowserOf(dir);
      };
      process.once('exit', stopChild);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        process.removeListener('exit', stopChild);
        if (code === 0) resolve();
        else
          reject(
            new Error(
              `Lighthouse exited ${code ?? signal} on ${url}: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
            ),
          );
      });
    });
    const lhr = JSON.parse(readFileSync(out, 'utf8')) as Lhr;
    if (lhr.runtimeError)
      throw new Error(`Lighthouse could not load ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const score = (c: string) => {
      const s = lhr.categories[c]?.score;
      if (s === null || s === undefined)
        throw new Error(
          `Lighthouse gave no ${c} score for ${url}` +
            `${lhr.runWarnings?.length ? ` (${lhr.runWarnings.join('; ')})` : ''}`,
        );
      return Math.round(s * 100);
    };
    const num = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
    const a11yFailed = (lhr.categories.accessibility?.auditRefs ?? [])
      .filter((r) => r.weight > 0 && lhr.audits[r.id]?.score === 0)
      .map((r) => r.id);
    const summary = (lhr.audits['resource-summary']?.details?.items ?? []) as {
      resourceType?: string;
      transferSize?: number;
    }[];
    const lcpItems = (lhr.audits['largest-contentful-paint-element']?.details?.items ?? []) as {
      items?: { node?: { nodeLabel?: string; selector?: string } }[];
    }[];
    const lcpNode = lcpItems[0]?.items?.[0]?.node;
    return {
      performance: score('performance'),
      accessibility: score('accessibility'),
      fcpMs: num('first-contentful-paint'),
      lcpMs: num('largest-contentful-paint'),
      tbtMs: num('total-blocking-time'),
      cls: num('cumulative-layout-shift'),
      siMs: num('speed-index'),
      scriptTransferBytes: summary.find((s) => s.resourceType === 'script')?.transferSize ?? 0,
      failedA11y: a11yFailed,
      lcpElement: lcpNode ? `${lcpNode.selector ?? ''} "${(lcpNode.nodeLabel ?? '').slice(0, 40)}"` : '',
    };
  } finally {
    killBrowserOf(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}
