// The pages benchmark's second baseline: the framework floor. An empty Next.js App Router page
// (one heading, one paragraph, rendered per request like every SkyPost page) built with the
// project's own Next.js and React and served by `next start`. Every SkyPost page pays what
// this page pays (React and the Next.js runtime download, evaluate and hydrate), so the gap
// between a page and this floor, measured in the same run, is what the page's own code costs.
// The app lives in .data/bench-floor (ignored by git); Node resolves next and react from the
// project's node_modules above it. It is rebuilt when its sources or the Next.js version change.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitForExit } from './procs';

const FILES: Record<string, string> = {
  'next.config.mjs': `export default { poweredByHeader: false };\n`,
  'app/layout.jsx':
    `export const metadata = { title: 'Framework floor', ` +
    `description: 'An empty Next.js page: the same-run floor of the pages benchmark.' };
export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '0 auto', maxWidth: '40rem', padding: '1rem' }}>` +
    `{children}</body>
    </html>
  );
}
`,
  'app/page.jsx':
    `export const dynamic = 'force-dynamic';
export default function Page() {
  return (
    <main>
      <h1>Framework floor</h1>
      <p>An empty Next.js App Router page, rendered per request, with no component of its own in the browser: ` +
    `only React and the Next.js runtime load and hydrate.</p>
    </main>
  );
}
`,
};

export type FrameworkFloor = { url: string; stop: () => Promise<void> };

const root = () => path.join(process.cwd(), '.data', 'bench-floor');
const nextBin = () => path.join(process.cwd(), 'node_modules', '.bin', 'next');

function stamp(): string {
  const nextVersion = (
    JSON.parse(readFileSync(path.join(process.cwd(), 'node_modules', 'next', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return createHash('sha256').update(nextVersion).update(JSON.stringify(FILES)).digest('hex');
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Writes and builds the floor app unless the build on disk is of the same sources and Next.js. */
async function ensureBuilt(log: (line: string) => void): Promise<void> {
  const dir = root();
  const want = stamp();
  const stampFile = path.join(dir, '.floor-stamp');
  if (
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === want &&
    existsSync(path.join(dir, '.next', 'BUILD_ID'))
  )
    return;
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  log('Building the framework floor (an empty Next.js page) in .data/bench-floor');
  const { code, output } = await run(nextBin(), ['build'], dir);
  if (code !== 0)
    throw new Error(
      `next build of the framework floor failed (exit ${code}): ${output.trim().split('\n').slice(-5).join(' | ')}`,
    );
  writeFileSync(stampFile, want);
}

/** Builds (when needed) and serves the floor page with `next start` on 127.0.0.1:port. */
export async function startFrameworkFloor(port: number, log: (line: string) => void): Promise<FrameworkFloor> {
  await ensureBuilt(log);
  // Its own process group: `next start` runs the server in a child process, and stop() ends both.
  const child: ChildProcess = spawn(nextBin(), ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root(),
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
    detached: true,
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const url = `http://127.0.0.1:${port}/`;
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > until) {
      signalGroup('SIGKILL');
      throw new Error(`the framework floor did not answer on ${url}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    stop: async () => {
      signalGroup('SIGTERM');
      if (child.exitCode === null && !(await waitForExit(child, 5000))) signalGroup('SIGKILL');
      // The server process may outlive the CLI by a moment: the group gets a last SIGKILL.
      await new Promise((r) => setTimeout(r, 500));
      signalGroup('SIGKILL');
    },
  };
}
