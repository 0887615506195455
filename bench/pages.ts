// npm run bench -- pages [--runs 5] [--port P] [--pg-port P] [--note TEXT] [--no-record] [--no-build]
// Page load as a phone sees it (issue 13, "Load"): Lighthouse mobile (its default throttling,
// performance and accessibility) on `/`, `/catalog`, a customer's order page and `/admin`,
// against the production build served by the launcher on an embedded PostgreSQL with the demo
// data. The customer places an order through the API and the order worker gives it a drone,
// so the order page shows what a customer waiting for a parcel sees (the tracking map).
// Each page runs --runs times, round robin, and the median run (by performance score) is
// reported. First-load JS is read from each page's HTML (bench/lib/first-load.ts).
// Two same-run baselines:
// - a trivial static page (one heading, one paragraph, no script) served by this process on
//   127.0.0.1. Nothing on it can be slow, so whatever it loses (score below 100, blocking time
//   above 0, a slower paint than its usual) is the machine's noise, and the pages' figures in
//   the same run carry that much noise too;
// - the framework floor (bench/lib/framework-floor.ts): an empty Next.js page built with the
//   project's Next.js and React. Every page pays at least its cost, so a page's distance from
//   it is what the page's own code costs, and no page can be expected to score above it.
// The 1-minute load average is sampled every 2 s during the run and reported with the figures.
// Exits 1 only when something could not be measured; a missed target is reported, not failed.
import '../scripts/lib/dotenv';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { and, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { goods, parcelAutomats } from '@/db/schema';
import { ensureProductionBuild, freePort, startApp, type App } from './lib/app';
import { measureFirstLoad, type FirstLoad } from './lib/first-load';
import { startFrameworkFloor, type FrameworkFloor } from './lib/framework-floor';
import { lighthouseVersion, runLighthouse, type LighthouseFigures } from './lib/lighthouse';
import { appendPagesRows, appendRunLogRow, describeMachine, machineInfo } from './lib/report';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    port: { type: 'string', default: '4600' },
    'pg-port': { type: 'string', default: '56600' },
    note: { type: 'string', default: '' },
    'no-record': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    [
      'Usage: npm run bench -- pages [options]',
      '  --runs N       Lighthouse runs per page, median reported (default 5, odd numbers give a true median);',
      '                 0 measures first-load JS only and records nothing',
      '  --port P       first web port tried (default 4600; the next free one is used, ' +
        'the baseline page takes the one after)',
      '  --pg-port P    first PostgreSQL port tried (default 56600)',
      '  --note TEXT    added to the rows (e.g. what build this is)',
      '  --no-record    print only; do not add rows to docs/benchmarks.md',
      '  --no-build     serve the existing .next build even if sources changed',
      '',
    ].join('\n'),
  );
  process.exit(0);
}
const parsed = z
  .object({
    runs: z.coerce.number().int().min(0).max(25),
    port: z.coerce.number().int().min(1024).max(65000),
    'pg-port': z.coerce.number().int().min(1024).max(65000),
    note: z.string().max(200),
    'no-record': z.boolean(),
    'no-build': z.boolean(),
  })
  .safeParse(values);
if (!parsed.success) {
  process.stderr.write(
    `Invalid options: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`,
  );
  process.exit(2);
}
const o = parsed.data;
const say = (line: string) => process.stdout.write(`[pages ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

type Target = {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** Whether to read the page's first-load JS (and warm the route up with that request). */
  readFirstLoad: boolean;
  minPerformance: number | null;
  maxFirstLoadKb: number | null;
};
type PageResult = Target & { firstLoad: FirstLoad | null; runs: LighthouseFigures[] };

const BASELINE_HTML =
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Baseline</title><meta name="description" ` +
  `content="A static page with no script: the same-run baseline of the pages benchmark."></head>
<body style="font-family:system-ui,sans-serif;margin:0 auto;max-width:40rem;padding:1rem"><main><h1>Baseline</h1>
<p>A static page with no script and no stylesheet. ` +
  `Whatever Lighthouse finds slow here is the machine.</p></main></body></html>`;

async function serveBaseline(port: number): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(BASELINE_HTML);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { url: `http://127.0.0.1:${port}/`, server };
}

/**
 * An order of the demo customer's, placed through the API as a customer would, that the order
 * worker has given a drone (status processing): its page then shows the tracking map. Falls
 * back to the pending order (no map) if no drone takes it within 60 s, and says so.
 */
async function customerOrder(app: App): Promise<{ id: string; status: string }> {
  const [good] = await app.db
    .select({ id: goods.id })
    .from(goods)
    .where(and(gt(goods.quantityAvailable, 5), eq(goods.name, 'Small Package')))
    .limit(1);
  const automats = await app.db
    .select({ id: parcelAutomats.id })
    .from(parcelAutomats)
    .where(eq(parcelAutomats.isWorking, true));
  if (!good || automats.length === 0) throw new Error('the demo data has no orderable good or no working locker');
  // With the simulator off no drone reports, so none counts as online: two demo drones
  // report once (idle, last seen now), as registerDrones in bench/lib/app.ts parks its drones.
  await app.sql`update drones set status = 'idle', last_seen_at = now(), updated_at = now()
                where id in (select id from drones where battery_level > 50 order by battery_level desc limit 2)`;
  let id: string | null = null;
  for (const a of automats) {
    const res = await fetch(`${app.baseUrl}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: app.customer.cookie },
      body: JSON.stringify({ good_id: good.id, parcel_automat_id: a.id }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { order?: { id: string } };
    if (res.status === 201 && body.order) {
      id = body.order.id;
      break;
    }
  }
  if (!id) throw new Error('POST /api/orders placed no order at any working locker');
  let status = 'pending';
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const res = await fetch(`${app.baseUrl}/api/me/orders/${id}`, {
      headers: { cookie: app.customer.cookie },
      signal: AbortSignal.timeout(15_000),
    });
    status = ((await res.json()) as { order?: { status?: string } }).order?.status ?? 'unknown';
    if (status !== 'pending') break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { id, status };
}

const medianRun = (runs: LighthouseFigures[]): LighthouseFigures | null => {
  if (runs.length === 0) return null;
  // Lighthouse's own advice: take the run whose score is the median, and that run's metrics,
  // rather than mixing medians of metrics from different runs. Ties go to the median LCP.
  const sorted = [...runs].sort((a, b) => a.performance - b.performance || a.lcpMs - b.lcpMs);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
};

const kb = (bytes: number) => (bytes / 1000).toFixed(1);
const ms = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : 'n/a');

async function main() {
  const machine = machineInfo();
  say(describeMachine(machine));
  const loads: number[] = [];
  const sampler = setInterval(() => loads.push(os.loadavg()[0] ?? 0), 2000);
  await ensureProductionBuild({ noBuild: o['no-build'], log: say });

  // WORKERS=1: the worker gives the customer's order a drone, so its page shows the map.
  const app = await startApp({ workers: 1, port: o.port, pgPort: o['pg-port'], log: say });
  let baseline: Server | null = null;
  let floor: FrameworkFloor | null = null;
  let failed = false;
  try {
    const order = await customerOrder(app);
    const mapNote =
      order.status === 'processing'
        ? ' (its page shows the tracking map)'
        : ' (no drone took it: its page shows no map)';
    say(`The customer's order ${order.id} is ${order.status}${mapNote}`);
    const b = await serveBaseline(await freePort(app.port + 10, 50));
    baseline = b.server;
    floor = await startFrameworkFloor(await freePort(app.port + 20, 50), say);
    const customer = { cookie: app.customer.cookie };
    const targets: Target[] = [
      {
        name: 'baseline (static, no script)',
        url: b.url,
        readFirstLoad: false,
        minPerformance: null,
        maxFirstLoadKb: null,
      },
      {
        name: 'framework floor (empty Next.js page)',
        url: floor.url,
        readFirstLoad: true,
        minPerformance: null,
        maxFirstLoadKb: null,
      },
      { name: '/', url: `${app.baseUrl}/`, readFirstLoad: true, minPerformance: 90, maxFirstLoadKb: 150 },
      { name: '/catalog', url: `${app.baseUrl}/catalog`, readFirstLoad: true, minPerformance: 90, maxFirstLoadKb: 150 },
      {
        name: `/orders/{id} (${order.status})`,
        url: `${app.baseUrl}/orders/${order.id}`,
        headers: customer,
        readFirstLoad: true,
        minPerformance: 90,
        maxFirstLoadKb: null,
      },
      {
        name: '/admin',
        url: `${app.baseUrl}/admin`,
        headers: { cookie: app.admin.cookie },
        readFirstLoad: true,
        minPerformance: 75,
        maxFirstLoadKb: null,
      },
    ];

    const results: PageResult[] = [];
    for (const t of targets) {
      // Also the warm-up: the production server loads a route's code on its first request.
      let firstLoad: FirstLoad | null = null;
      if (t.readFirstLoad) {
        try {
          firstLoad = await measureFirstLoad(t.url, t.headers);
          say(
            `${t.name}: first-load JS ${kb(firstLoad.scriptsGz)} kB gzipped in ${firstLoad.scripts.length} scripts ` +
              `(${kb(firstLoad.scriptsRaw)} kB raw), inline flight data ${kb(firstLoad.inlineGz)} kB gzipped, ` +
              `HTML ${kb(firstLoad.htmlGz)} kB gzipped`,
          );
          // With --runs 0 (first-load JS only), each script, to see what a page pulls in.
          if (o.runs === 0) for (const x of firstLoad.scripts) say(`    ${kb(x.gz).padStart(6)} kB gz  ${x.src}`);
        } catch (err) {
          failed = true;
          say(`${t.name}: first-load JS NOT measured: ${(err as Error).message}`);
        }
      }
      results.push({ ...t, firstLoad, runs: [] });
    }

    for (let r = 1; r <= o.runs; r++) {
      for (const p of results) {
        try {
          const f = await runLighthouse(p.url, { headers: p.headers });
          p.runs.push(f);
          say(
            `run ${r}/${o.runs} ${p.name}: performance ${f.performance}, accessibility ${f.accessibility}, ` +
              `FCP ${ms(f.fcpMs)} ms, LCP ${ms(f.lcpMs)} ms, TBT ${ms(f.tbtMs)} ms, CLS ${f.cls.toFixed(3)} ` +
              `(load ${os.loadavg()[0]?.toFixed(1)})`,
          );
        } catch (err) {
          say(`run ${r}/${o.runs} ${p.name}: NOT measured: ${(err as Error).message}`);
        }
      }
    }
    clearInterval(sampler);
    const loadMean = loads.length ? loads.reduce((s, x) => s + x, 0) / loads.length : (os.loadavg()[0] ?? 0);
    const loadMax = Math.max(0, ...loads);
    const loadText = `${machine.load[0]} at start, ${loadMean.toFixed(1)} mean, ${loadMax.toFixed(1)} max`;

    const lines: string[] = [];
    const rows: string[] = [];
    const verdicts: string[] = [];
    const floorRun = medianRun(results.find((p) => p.url === floor?.url)?.runs ?? []);
    for (const p of results) {
      const m = medianRun(p.runs);
      if (o.runs > 0 && (!m || p.runs.length < o.runs)) failed = true;
      const scores = p.runs.map((x) => x.performance);
      const range = scores.length ? `${Math.min(...scores)}–${Math.max(...scores)}` : 'n/a';
      const fl = p.firstLoad;
      const cells = [
        p.name,
        m ? `**${m.performance}** (${range})` : 'n/a',
        m ? String(m.accessibility) : 'n/a',
        m ? ms(m.fcpMs) : 'n/a',
        m ? ms(m.lcpMs) : 'n/a',
        m ? ms(m.tbtMs) : 'n/a',
        m ? m.cls.toFixed(3) : 'n/a',
        m ? ms(m.siMs) : 'n/a',
        fl ? `${kb(fl.scriptsGz)} (${fl.scripts.length})` : '–',
        fl ? kb(fl.inlineGz) : '–',
        m ? kb(m.scriptTransferBytes) : 'n/a',
        `${p.runs.length}/${o.runs}`,
      ];
      lines.push(`| ${cells.join(' | ')} |`);
      rows.push(`| ${machine.date} | ${loadText} | ${cells.join(' | ')} | ${o.note.replace(/\|/g, '/')} |`);
      if (m && p.minPerformance !== null)
        verdicts.push(
          `${p.name}: performance ${m.performance} (target ≥ ${p.minPerformance}; ` +
            `the framework floor scored ` +
            `${floorRun ? `${floorRun.performance}, TBT ${ms(floorRun.tbtMs)} ms` : 'n/a'} ` +
            `in this run) -> ${m.performance >= p.minPerformance ? 'met' : 'NOT met'}`,
        );
      if (m && p.minPerformance !== null) {
        const failedA11y = [...new Set(p.runs.flatMap((x) => x.failedA11y))].join(', ');
        verdicts.push(
          `${p.name}: accessibility ${m.accessibility} (target 100) -> ` +
            `${m.accessibility === 100 ? 'met' : `NOT met: ${failedA11y}`}`,
        );
      }
      if (fl && p.maxFirstLoadKb !== null)
        verdicts.push(
          `${p.name}: first-load JS ${kb(fl.scriptsGz)} kB gzipped (target ≤ ${p.maxFirstLoadKb}) -> ` +
            `${fl.scriptsGz / 1000 <= p.maxFirstLoadKb ? 'met' : 'NOT met'}`,
        );
      if (m?.lcpElement) verdicts.push(`${p.name}: LCP element ${m.lcpElement}`);
    }
    process.stdout.write(
      [
        '',
        `Page load, Lighthouse ${lighthouseVersion()} mobile (simulated slow 4G, 4x CPU), median of ${o.runs} runs; ` +
          `load average ${loadText}:`,
        '',
        '| page | performance (range) | accessibility | FCP ms | LCP ms | TBT ms | CLS | Speed Index ms | ' +
          'first-load JS kB gz (scripts) | inline flight data kB gz | all JS transferred kB | runs |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|',
        ...lines,
        '',
        ...verdicts,
        '',
      ].join('\n'),
    );
    if (!o['no-record'] && o.runs > 0) {
      appendPagesRows(rows);
      const short = results
        .map((p) => {
          const m = medianRun(p.runs);
          return (
            `${p.name.split(' ')[0]} ${m ? `${m.performance}/${m.accessibility}` : 'n/a'}` +
            `${p.firstLoad ? ` ${kb(p.firstLoad.scriptsGz)} kB` : ''}`
          );
        })
        .join('; ');
      appendRunLogRow(
        'pages',
        machine,
        `Lighthouse mobile, median of ${o.runs}, performance/accessibility and first-load JS gz: ${short}; ` +
          `load ${loadText}${o.note ? `; ${o.note}` : ''}`,
      );
    }
  } catch (err) {
    failed = true;
    say(`Could not measure: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearInterval(sampler);
    baseline?.close();
    await floor?.stop();
    const report = await app.stop();
    for (const n of report.notes) say(n);
    if (report.leftovers.length) say(`killed leftovers: ${report.leftovers.join(', ')}`);
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
