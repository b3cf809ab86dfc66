import { chromium } from 'playwright-core';
const [file, out, view, w] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium-headless-shell', args: ['--no-sandbox'] });
const p = await b.newPage({ viewport: { width: Number(w || 1280), height: 900 } });
const reqs = [];
p.on('request', (r) => reqs.push(r.url()));
await p.goto('file://' + file);
if (view) await p.click(`nav.tabs button[data-view=${view}]`);
if (view === 'requests') { await p.click('details.req >> nth=0 >> summary'); }
await p.screenshot({ path: out, fullPage: true });
console.log(reqs);
await b.close();
