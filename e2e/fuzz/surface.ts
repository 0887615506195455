import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// The attack surface, read from the code (not from a list someone has to remember):
// every route handler under app/api with its exported HTTP methods, and every server
// action in the production build's server-reference manifest.

const root = process.cwd();

/** Every file called `file` under `dir`, recursively. */
export function walk(dir: string, file: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, file, out);
    else if (name === file) out.push(full);
  }
  return out;
}

export type RouteMethod = { method: string; template: string; key: string };

/** `app/api/automats/[automatId]/scan/route.ts` -> `/api/automats/[automatId]/scan`. */
function templateOf(file: string): string {
  const dir = path.relative(path.join(root, 'app'), path.dirname(file)).split(path.sep);
  return `/${dir.filter((s) => !/^\(.*\)$/.test(s)).join('/')}`;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

export function enumerateRoutes(): RouteMethod[] {
  const out: RouteMethod[] = [];
  for (const file of walk(path.join(root, 'app/api'), 'route.ts')) {
    const source = readFileSync(file, 'utf8');
    const methods = new Set<string>();
    for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+([A-Z]+)\b/g)) methods.add(m[1]!);
    // `export { handler as GET, POST }`: each entry's exported name (after `as`, or the name itself)
    for (const block of source.matchAll(/export\s*\{([^}]*)\}/g)) {
      for (const entry of block[1]!.split(',')) {
        const name = /(?:\bas\s+)?([A-Za-z_$][\w$]*)\s*$/.exec(entry.trim())?.[1];
        if (name) methods.add(name);
      }
    }
    const template = templateOf(file);
    for (const method of [...methods].filter((m) => (METHODS as readonly string[]).includes(m)).sort())
      out.push({ method, template, key: `${method} ${template}` });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

export type ServerAction = { id: string; name: string; file: string; page: string; key: string };

type ManifestEntry = { exportedName: string; filename: string; workers: Record<string, unknown> };

/** Every server action of the build, with one page that serves it (the POST target). */
export function enumerateActions(): ServerAction[] {
  const manifest = JSON.parse(readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, ManifestEntry>;
  };
  const out: ServerAction[] = [];
  for (const [id, e] of Object.entries(manifest.node)) {
    // Prefer a page without dynamic segments: any page that imports the action can run it.
    const pages = Object.keys(e.workers)
      .filter((w) => w.endsWith('/page'))
      .map(
        (w) =>
          `/${w
            .replace(/^app\//, '')
            .replace(/\/page$/, '')
            .split('/')
            .filter((s) => !/^\(.*\)$/.test(s) && s !== 'page')
            .join('/')}`,
      )
      .sort((a, b) => Number(a.includes('[')) - Number(b.includes('[')) || a.length - b.length);
    const page =
      (pages[0] ?? '/').replace(/\[[^\]]+\]/g, '00000000-0000-4000-8000-000000000000').replace(/\/$/, '') || '/';
    out.push({ id, name: e.exportedName, file: e.filename, page, key: `action ${e.exportedName}` });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}
