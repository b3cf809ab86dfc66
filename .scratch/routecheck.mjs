import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
writeFileSync('/tmp/ext.html', '<!doctype html><link rel="stylesheet" href="https://cdn.example.com/x.css"><script src="https://cdn.example.com/x.js"></script><p>hi');
const b = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium-headless-shell', args: ['--no-sandbox'] });
const c = await b.newContext(); const seen = [];
await c.route(/^(?!file:)/, (r) => { seen.push(r.request().url()); return r.abort(); });
const p = await c.newPage(); await p.goto('file:///tmp/ext.html'); console.log(seen); await b.close();
