// npm run icons: renders the app's icons from the one logo drawing (app/icon.svg) in Chromium
// and writes them into public/icons/ (web manifest, home-screen icons) and app/ (the favicon
// and the Apple touch icon, which Next.js links from every page by file convention).
// The output is committed; run this again only when the logo changes.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';

const root = process.cwd();
const svg = readFileSync(path.join(root, 'app/icon.svg'), 'utf8');
// The logo's glyph without its rounded tile: maskable and Apple icons get a full-bleed square
// and the platform applies its own mask.
const glyph = svg.replace(/<rect width="32" height="32" rx="8" fill="#0b5294"\/>/, '');
if (glyph === svg) throw new Error('app/icon.svg changed shape: update the tile pattern in scripts/make-icons.ts');
const BRAND = '#0b5294';

/**
 * An SVG page of `size` px: the tile as drawn (rounded, transparent corners) or full bleed with the glyph inside the
 * safe zone.
 */
function page(size: number, kind: 'tile' | 'full-bleed'): string {
  const inner =
    kind === 'tile'
      ? svg.replace('<svg ', `<svg width="${size}" height="${size}" `)
      : // Maskable icons keep their content inside the central 80% circle.
        `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 32 32">` +
        `<rect width="32" height="32" fill="${BRAND}"/><g transform="translate(3.2 3.2) scale(0.8)">` +
        `${glyph.replace(/^<svg[^>]*>/, '').replace(/<\/svg>$/, '')}</g></svg>`;
  return `<!doctype html><html><body style="margin:0;background:transparent">${inner}</body></html>`;
}

/** A .ico holding PNG images (Vista and later read PNG entries). */
function ico(pngs: { size: number; data: Buffer }[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt8(0, 2);
    e.writeUInt8(0, 3);
    e.writeUInt16LE(1, 4);
    e.writeUInt16LE(32, 6);
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.data)]);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ deviceScaleFactor: 1 });
    const shot = async (size: number, kind: 'tile' | 'full-bleed') => {
      const p = await context.newPage();
      await p.setViewportSize({ width: size, height: size });
      await p.setContent(page(size, kind));
      const data = await p.screenshot({
        omitBackground: kind === 'tile',
        clip: { x: 0, y: 0, width: size, height: size },
      });
      await p.close();
      return data;
    };
    mkdirSync(path.join(root, 'public/icons'), { recursive: true });
    const out: [string, Buffer][] = [
      ['public/icons/icon-192.png', await shot(192, 'tile')],
      ['public/icons/icon-512.png', await shot(512, 'tile')],
      ['public/icons/maskable-192.png', await shot(192, 'full-bleed')],
      ['public/icons/maskable-512.png', await shot(512, 'full-bleed')],
      ['app/apple-icon.png', await shot(180, 'full-bleed')],
      [
        'app/favicon.ico',
        ico([
          { size: 16, data: await shot(16, 'tile') },
          { size: 32, data: await shot(32, 'tile') },
          { size: 48, data: await shot(48, 'tile') },
        ]),
      ],
    ];
    for (const [file, data] of out) {
      writeFileSync(path.join(root, file), data);
      process.stdout.write(`${file} (${data.length} bytes)\n`);
    }
  } finally {
    await browser.close();
  }
}

void main();
