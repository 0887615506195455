import { gzipSync } from 'node:zlib';

// What a page's first load costs in JavaScript, read from the HTML the server sends (not from
// Lighthouse's estimates): every script the document names (<script src>, and scripts it
// preloads; not `nomodule` ones, which a current browser skips), fetched and gzipped here one
// by one at zlib's default level (what `next start` compresses with), plus the inline scripts
// (React's flight data: the page's props and the messages handed to client components). Chunks
// loaded later (next/dynamic, a map opened after first paint) are not in the HTML and so not
// counted.

export type FirstLoad = {
  /** Gzipped bytes of the external scripts. */
  scriptsGz: number;
  /** Uncompressed bytes of the same. */
  scriptsRaw: number;
  scripts: { src: string; raw: number; gz: number }[];
  /** Gzipped bytes of the inline scripts, together (they travel inside the HTML). */
  inlineGz: number;
  /** Gzipped bytes of the whole HTML document. */
  htmlGz: number;
  status: number;
};

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(2)
    .find((x) => x !== undefined);

/** The script URLs and inline script bodies of an HTML document, in document order. */
export function scriptsOf(html: string): { external: string[]; inline: string[] } {
  const external: string[] = [];
  const inline: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const tag = m[1] ?? '';
    const type = attr(tag, 'type');
    if (type && !/^(text\/javascript|module|application\/javascript)$/i.test(type)) continue; // JSON-LD and the like
    // Legacy polyfills for browsers without modules: a current browser never fetches them.
    if (/\snomodule(\s|=|$)/i.test(tag)) continue;
    const src = attr(tag, 'src');
    if (src) external.push(src);
    else if (m[2]) inline.push(m[2]);
  }
  for (const m of html.matchAll(/<link\b([^>]*)>/gi)) {
    const tag = m[1] ?? '';
    const rel = (attr(tag, 'rel') ?? '').toLowerCase();
    const as = (attr(tag, 'as') ?? '').toLowerCase();
    const href = attr(tag, 'href');
    if (href && (rel === 'modulepreload' || (rel === 'preload' && as === 'script'))) external.push(href);
  }
  return { external: [...new Set(external.map((s) => s.replace(/&amp;/g, '&')))], inline };
}

export async function measureFirstLoad(url: string, headers: Record<string, string> = {}): Promise<FirstLoad> {
  const res = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
  const html = await res.text();
  if (res.status !== 200)
    throw new Error(
      `GET ${url} answered ${res.status}, not the page (${res.headers.get('location') ?? html.slice(0, 120)})`,
    );
  const { external, inline } = scriptsOf(html);
  if (external.length === 0) throw new Error(`GET ${url}: the HTML names no script; nothing to measure`);
  const scripts = await Promise.all(
    external.map(async (src) => {
      const abs = new URL(src, url).toString();
      const r = await fetch(abs, { signal: AbortSignal.timeout(60_000) });
      if (!r.ok) throw new Error(`GET ${abs} answered ${r.status}`);
      const body = Buffer.from(await r.arrayBuffer());
      return { src, raw: body.length, gz: gzipSync(body).length };
    }),
  );
  return {
    scriptsGz: scripts.reduce((s, x) => s + x.gz, 0),
    scriptsRaw: scripts.reduce((s, x) => s + x.raw, 0),
    scripts,
    inlineGz: inline.length ? gzipSync(inline.join('\n')).length : 0,
    htmlGz: gzipSync(html).length,
    status: res.status,
  };
}
