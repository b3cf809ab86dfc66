// launchBrowser() on this machine starts Chromium's headless shell (not a full Chromium), with every
// flag of chromiumArgs: it loads a page from 127.0.0.1 and its --host-resolver-rules guard holds.
// Linux only: which binary runs is read from /proc (the browser Playwright spawns is our child).
import { test, expect } from '@playwright/test';
import http from 'node:http';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { launchBrowser, resolveBrowser } from '../../src/login/browser.js';

/** Executables of this process's direct children, by pid. */
function childExecutables(): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) out.set(Number(entry), readlinkSync(`/proc/${entry}/exe`));
    } catch {
      // The process ended while we looked: not ours to care about.
    }
  }
  return out;
}

test('launchBrowser starts the headless shell, which loads a 127.0.0.1 page and honours the resolver guard', async () => {
  test.skip(process.platform !== 'linux', 'reads /proc');
  const server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end('<!doctype html><title>served locally</title><p id="p">hello from 127.0.0.1</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const resolved = resolveBrowser();
  expect(resolved.kind, `resolved ${resolved.path}`).toBe('headless-shell');

  const before = new Set(childExecutables().keys());
  // localhost is the blocked host: the guard must make it unresolvable while 127.0.0.1 still loads.
  const browser = await launchBrowser({ blockedHosts: ['localhost'] });
  try {
    const started = [...childExecutables()].filter(([pid]) => !before.has(pid)).map(([, exe]) => exe);
    // The binary itself, with no wrapper shell between Playwright and Chromium.
    expect(started).toEqual([realpathSync(resolved.path)]);

    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page).toHaveTitle('served locally');
    await expect(page.locator('#p')).toHaveText('hello from 127.0.0.1');

    const blocked = await page.goto(`http://localhost:${port}/`).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    expect(blocked).toContain('net::ERR_NAME_NOT_RESOLVED');
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
