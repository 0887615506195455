// Where a Node process spent its CPU: self time per function and per component, from a V8
// .cpuprofile (node --cpu-prof), optionally only inside a window of the run.

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

/** What a frame belongs to, by its script's path. Production chunks are named after their modules by the bundler. */
export function componentOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : 'V8 / native';
  if (url.startsWith('node:')) return 'Node.js core';
  const m = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (m) {
    const pkg = m[1] as string;
    if (pkg === 'next' || pkg.startsWith('@next/')) return 'Next.js';
    return pkg;
  }
  if (url.includes('/.next/server/')) {
    const chunk = url.slice(url.lastIndexOf('/') + 1);
    if (/node_modules/.test(chunk)) {
      const pkg = chunk.match(/node_modules_((?:@[^_]+_)?[^_.]+)/)?.[1];
      return pkg ? `bundled ${pkg.replace(/^@/, '@')}` : 'bundled dependencies';
    }
    if (/proxy|middleware/.test(chunk)) return 'proxy.ts (bundled)';
    return `app chunk ${chunk}`;
  }
  return 'our code (scripts/, lib/ via tsx)';
}

export function summarizeCpuProfile(profile: CpuProfile, window: { from: bigint; to: bigint } | null, top = 25): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const from = window ? Number(window.from / 1000n) : -Infinity;
  const to = window ? Number(window.to / 1000n) : Infinity;
  let t = profile.startTime;
  let total = 0;
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from || t > to) continue;
    const id = profile.samples[i] as number;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  }
  const windowNote =
    window && total === 0
      ? 'the measurement window matched no sample (clock mismatch?); showing the whole profile'
      : window
        ? `samples inside the measured ${((to - from) / 1e6).toFixed(1)} s`
        : 'the whole profile';
  if (window && total === 0) return summarizeCpuProfile(profile, null, top).replace('the whole profile', windowNote);

  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((s, [, v]) => s + v, 0);
  const busy = total - idle;
  const byFn = new Map<string, { us: number; component: string }>();
  const byComponent = new Map<string, number>();
  for (const [id, us] of self) {
    const f = (byId.get(id) as ProfileNode).callFrame;
    if (f.functionName === '(idle)') continue;
    const component = componentOf(f);
    const key = `${f.functionName || '(anonymous)'} ${f.url ? `${f.url.replace(/^.*\/(node_modules|\.next)\//, '$1/')}:${f.lineNumber + 1}` : ''}`.trim();
    const cur = byFn.get(key) ?? { us: 0, component };
    cur.us += us;
    byFn.set(key, cur);
    byComponent.set(component, (byComponent.get(component) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / Math.max(1, busy)).toFixed(1)}%`;
  const lines = [
    `CPU profile of the web server (${windowNote}): ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (${((100 * busy) / Math.max(1, total)).toFixed(0)}% of one core), ${(idle / 1e6).toFixed(1)} s idle.`,
    '',
    'Self time by component (share of busy time):',
    '',
    '| component | self ms | share |',
    '|---|---|---|',
    ...[...byComponent].sort((a, b) => b[1] - a[1]).map(([c, us]) => `| ${c} | ${(us / 1000).toFixed(0)} | ${pct(us)} |`),
    '',
    `Top ${top} functions by self time:`,
    '',
    '| function | component | self ms | share |',
    '|---|---|---|---|',
    ...[...byFn]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([k, v]) => `| ${k.replace(/\|/g, '\\|')} | ${v.component} | ${(v.us / 1000).toFixed(0)} | ${pct(v.us)} |`),
  ];
  return lines.join('\n');
}
