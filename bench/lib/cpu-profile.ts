// Where a Node process spent its CPU, from a V8 .cpuprofile (node --cpu-prof): self and
// inclusive shares per component (Next.js, proxy.ts, zod, postgres.js, drizzle, our code...)
// and the top functions, optionally only for the samples inside a window of the run.
// Frames in the production build's bundled chunks are mapped back to their sources through
// the chunks' source maps (.js.map next to each chunk), so bundled dependencies and our own
// modules are told apart.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
};

type Where = { component: string; source: string };

const maps = new Map<string, SourceMap | null>();
function sourceMapFor(file: string): SourceMap | null {
  if (!maps.has(file)) {
    let map: SourceMap | null = null;
    try {
      if (existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    } catch {
      map = null;
    }
    maps.set(file, map);
  }
  return maps.get(file) ?? null;
}

/** A source path (original or not) to the component it belongs to. */
function componentOfPath(p: string): string {
  const m = p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) {
    const pkg = m[1] as string;
    if (pkg === 'next' || pkg.startsWith('@next/')) return 'Next.js';
    if (pkg === 'postgres') return 'postgres.js';
    return pkg;
  }
  if (p.startsWith('[turbopack]')) return 'Next.js';
  const rel = p.replace(/^(\.\.\/)+/, '').replace(/^.*\/wt-[^/]+\//, '');
  if (/(^|\/)proxy\.ts$/.test(rel)) return 'proxy.ts';
  const top = rel.split('/')[0] ?? rel;
  if (['app', 'lib', 'db', 'scripts', 'components'].includes(top) || rel === 'env.ts')
    return `our code (${top === rel ? rel : `${top}/`})`;
  return 'other';
}

/** Where a frame's code comes from: its component and its original source location. */
function locate(frame: CallFrame): Where {
  const url = frame.url;
  if (!url) return { component: frame.functionName.startsWith('(') ? frame.functionName : 'V8 / native', source: '' };
  if (url.startsWith('node:')) return { component: 'Node.js core', source: `${url}:${frame.lineNumber + 1}` };
  // A page's script in the browser: the production build ships no browser source maps, so the
  // chunk and the (minified) function name are what there is.
  const chunk = /^https?:\/\/[^/]+\/_next\/static\/(.+)$/.exec(url);
  if (chunk)
    return {
      component: 'page script (bundled)',
      source: `${chunk[1]}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`,
    };
  if (/^https?:/.test(url)) return { component: 'page script', source: `${url}:${frame.lineNumber + 1}` };
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (file.includes(`${path.sep}.next${path.sep}`)) {
    const entry = sourceMapFor(file)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && 'originalSource' in entry && entry.originalSource) {
      const clean = decodeURIComponent(
        entry.originalSource.replace(/^(turbopack:\/\/\/)?(\[project\]\/)?/, '').replace(/^(\.\.\/)+/, ''),
      );
      return { component: componentOfPath(clean), source: `${clean}:${entry.originalLine + 1}` };
    }
    return {
      component: 'Next.js build (unmapped)',
      source: `${file.slice(file.indexOf('.next'))}:${frame.lineNumber + 1}`,
    };
  }
  const short = file.replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/wt-[^/]+\//, '');
  return { component: componentOfPath(file), source: `${short}:${frame.lineNumber + 1}` };
}

/**
 * A table of where the time went. Shares are of busy samples (idle excluded); a sample is one
 * tick of the profiler (1 ms by default), so on a machine short of CPU they approximate CPU
 * time better than wall-clock deltas do.
 */
export function summarizeCpuProfile(
  profile: CpuProfile,
  {
    window,
    top = 25,
    subject = 'the web server',
  }: { window: { from: bigint; to: bigint } | null; top?: number; subject?: string },
): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const where = new Map<number, Where>();
  const whereOf = (id: number): Where => {
    let w = where.get(id);
    if (!w) {
      w = locate((byId.get(id) as ProfileNode).callFrame);
      where.set(id, w);
    }
    return w;
  };

  const from = window ? Number(window.from / 1000n) : -Infinity;
  const to = window ? Number(window.to / 1000n) : Infinity;
  let t = profile.startTime;
  let wallUs = 0;
  const selfSamples = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from || t > to) continue;
    wallUs += dt;
    const id = profile.samples[i] as number;
    selfSamples.set(id, (selfSamples.get(id) ?? 0) + 1);
  }
  if (window && selfSamples.size === 0) {
    return summarizeCpuProfile(profile, { window: null, top, subject }).replace(
      '(the whole profile)',
      '(the whole profile: no sample fell inside the measured window)',
    );
  }

  let busy = 0;
  let idle = 0;
  const selfByFn = new Map<string, { n: number; component: string }>();
  const selfByComponent = new Map<string, number>();
  const inclusiveByComponent = new Map<string, number>();
  for (const [id, n] of selfSamples) {
    const node = byId.get(id) as ProfileNode;
    if (node.callFrame.functionName === '(idle)') {
      idle += n;
      continue;
    }
    busy += n;
    const w = whereOf(id);
    const key = `${node.callFrame.functionName || '(anonymous)'}${w.source ? ` ${w.source}` : ''}`;
    const cur = selfByFn.get(key) ?? { n: 0, component: w.component };
    cur.n += n;
    selfByFn.set(key, cur);
    selfByComponent.set(w.component, (selfByComponent.get(w.component) ?? 0) + n);
    // Inclusive: every component on the stack of this sample, once.
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const c = whereOf(at).component;
      if (c !== '(root)') onStack.add(c);
    }
    for (const c of onStack) inclusiveByComponent.set(c, (inclusiveByComponent.get(c) ?? 0) + n);
  }

  const pct = (n: number) => `${((100 * n) / Math.max(1, busy)).toFixed(1)}%`;
  const scope = window ? `samples while the measured load ran, ${(wallUs / 1e6).toFixed(1)} s` : 'the whole profile';
  return [
    `CPU profile of ${subject} (${scope}): ${busy + idle} samples, ` +
      `${busy} busy (${((100 * busy) / Math.max(1, busy + idle)).toFixed(0)}%), ${idle} idle.`,
    '',
    'By component, share of busy samples (self: in its own code; inclusive: anywhere on the stack):',
    '',
    '| component | self | inclusive |',
    '|---|---|---|',
    ...[...selfByComponent]
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `| ${c} | ${pct(n)} | ${pct(inclusiveByComponent.get(c) ?? n)} |`),
    '',
    `Top ${top} functions by self samples:`,
    '',
    '| function (original source) | component | samples | share |',
    '|---|---|---|---|',
    ...[...selfByFn]
      .sort((a, b) => b[1].n - a[1].n)
      .slice(0, top)
      .map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${v.component} | ${v.n} | ${pct(v.n)} |`),
  ].join('\n');
}
