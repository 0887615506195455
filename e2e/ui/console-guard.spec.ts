import { expect, isTileLoadFailure, test, tileUrl, tileUrlPattern } from '../fixtures';

// The browser-error guard of e2e/fixtures.ts can fail a test: these tests are expected to fail
// (test.fail), so the run goes red if the guard ever stops failing them. Tile failures of the
// map background are the one noise it lets through.

test.describe('the browser-error guard', () => {
  test('fails a test that logs a console error', async ({ page }) => {
    test.fail(true, 'the guard must fail this test');
    await page.goto('/');
    await page.evaluate(() => console.error('a deliberate console error'));
  });

  test('fails a test whose page throws', async ({ page }) => {
    test.fail(true, 'the guard must fail this test');
    await page.goto('/');
    await page.evaluate(() => {
      setTimeout(() => {
        throw new Error('a deliberate uncaught exception');
      }, 0);
    });
    // Let the task run before the test ends.
    await page.waitForTimeout(100);
  });

  test('fails a test on a missing image that is not a map tile', async ({ page }) => {
    test.fail(true, 'the guard must fail this test');
    await page.goto('/');
    await page.evaluate(
      () =>
        new Promise((resolve) =>
          Object.assign(document.body.appendChild(new Image()), { onerror: resolve, src: '/no-such-image.png' }),
        ),
    );
  });

  test('lets a failed map tile through, and only a tile', async ({ page, baseURL }) => {
    await page.goto('/');
    const tile = tileUrl(baseURL!, { z: 12, x: 2476, y: 1280 });
    // Failed as on every test machine, without asking the network.
    await page.route(tile, (route) => route.abort('internetdisconnected'));
    const tileErrors: string[] = [];
    page.on('console', (m) => {
      if (isTileLoadFailure(m)) tileErrors.push(m.text());
    });
    const failed = await page.evaluate(
      (src) =>
        new Promise<boolean>((resolve) =>
          Object.assign(document.body.appendChild(new Image()), {
            onload: () => resolve(false),
            onerror: () => resolve(true),
            src,
          }),
        ),
      tile,
    );
    expect(failed).toBe(true);
    // The browser did log it (the guard saw it and let it through).
    await expect.poll(() => tileErrors.length).toBe(1);
    expect(tileUrlPattern('https://{s}.tiles.example/{z}/{x}/{y}.png').test('https://b.tiles.example/3/4/2.png')).toBe(
      true,
    );
    expect(
      tileUrlPattern('https://{s}.tiles.example/{z}/{x}/{y}.png').test('https://b.tiles.example/3/4/2.png.js'),
    ).toBe(false);
    expect(tileUrlPattern('https://{s}.tiles.example/{z}/{x}/{y}.png').test('https://evil.example/3/4/2.png')).toBe(
      false,
    );
    expect(tileUrlPattern('/tiles/{z}/{x}/{y}{r}.png').test('http://127.0.0.1:3000/tiles/3/4/2@2x.png')).toBe(true);
  });
});
