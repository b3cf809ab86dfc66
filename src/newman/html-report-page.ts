// The HTML of `-r html`: one self-contained page (styles and script inline, a CSP that forbids any
// other origin), rendered on the server side so it reads without JavaScript; the small inline
// script adds the tabs, the filters and the search. Input is already redacted (html-report.ts).
import { escapeHtml } from 'cognito-newman-common/escape';

export interface ExchangeView {
  method: string;
  url: string;
  status?: number;
  statusText?: string;
  timeMs?: number;
  sizeBytes?: number;
  requestHeaders: Array<[string, string]>;
  requestBody?: string;
  responseHeaders: Array<[string, string]>;
  responseBody?: string;
  responseNote?: string;
  error?: string;
}

export interface TestView {
  name: string;
  result: 'passed' | 'failed' | 'skipped';
  message?: string;
}

export interface ExecutionView {
  /** Anchor id, `r1`, `r2`, ... in run order. */
  id: string;
  name: string;
  path: string[];
  iteration: number;
  exchanges: ExchangeView[];
  tests: TestView[];
  errors: string[];
}

/** One user's sign-in as the report shows it. */
export interface SignInView {
  name: string;
  username: string;
  source: 'login' | 'cache' | 'refresh';
  durationMs: number;
  steps: Array<{ name: string; ms: number }>;
  variables?: string[];
}

export interface ReportView {
  title: string;
  collection: string;
  generatedAt: string;
  durationMs: number;
  iterations: number;
  requests: { total: number; failed: number };
  assertions: { total: number; failed: number };
  executions: ExecutionView[];
  signIns: SignInView[];
  runError?: string;
}

const esc = (s: unknown) => escapeHtml(String(s ?? ''));

const ms = (n: number | undefined) => (n === undefined ? '–' : n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);
const bytes = (n: number | undefined) => (n === undefined ? '' : n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`);

export function failed(e: ExecutionView): boolean {
  return e.errors.length > 0 || e.tests.some((t) => t.result === 'failed') || e.exchanges.some((x) => x.error !== undefined);
}

function statusClass(x: ExchangeView): string {
  if (x.error !== undefined || x.status === undefined) return 's-err';
  return x.status >= 500 ? 's-5' : x.status >= 400 ? 's-4' : x.status >= 300 ? 's-3' : 's-2';
}

function headerTable(rows: Array<[string, string]>, empty: string): string {
  if (rows.length === 0) return `<p class="muted">${esc(empty)}</p>`;
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
}

function exchange(x: ExchangeView, i: number, count: number): string {
  const status = x.error !== undefined ? esc(x.error) : `${x.status ?? ''} ${esc(x.statusText ?? '')}`;
  return `<div class="exchange">
  ${count > 1 ? `<div class="xhead">request ${i + 1} of ${count}</div>` : ''}
  <div class="line"><span class="method m-${esc(x.method.toLowerCase())}">${esc(x.method)}</span><code class="url">${esc(x.url)}</code></div>
  <div class="facts"><span class="pill ${statusClass(x)}">${status}</span><span>${ms(x.timeMs)}</span><span>${bytes(x.sizeBytes)}</span></div>
  <div class="cols">
    <div class="col"><h4>Request headers</h4>${headerTable(x.requestHeaders, 'No headers.')}
      <h4>Request body</h4>${x.requestBody !== undefined ? `<pre class="body">${esc(x.requestBody)}</pre>` : '<p class="muted">No body.</p>'}</div>
    <div class="col"><h4>Response headers</h4>${headerTable(x.responseHeaders, x.error !== undefined ? 'No response.' : 'No headers.')}
      <h4>Response body</h4>${x.responseBody !== undefined ? `<pre class="body">${esc(x.responseBody)}</pre>` : `<p class="muted">${esc(x.responseNote ?? 'No body.')}</p>`}</div>
  </div>
</div>`;
}

function tests(e: ExecutionView): string {
  if (e.tests.length === 0 && e.errors.length === 0) return '<p class="muted">No tests in this request.</p>';
  const rows = e.tests.map(
    (t) => `<li class="t t-${t.result}"><span class="mark" aria-label="${t.result}">${t.result === 'passed' ? '✓' : t.result === 'failed' ? '✗' : '–'}</span><span class="tname">${esc(t.name)}</span>${t.message ? `<div class="tmsg">${esc(t.message)}</div>` : ''}</li>`,
  );
  const errs = e.errors.map((m) => `<li class="t t-failed"><span class="mark">!</span><span class="tname">Script error</span><div class="tmsg">${esc(m)}</div></li>`);
  return `<ul class="tests">${[...errs, ...rows].join('')}</ul>`;
}

function execution(e: ExecutionView): string {
  const bad = failed(e);
  const main = e.exchanges.at(-1);
  const passedCount = e.tests.filter((t) => t.result === 'passed').length;
  const search = [e.name, ...e.path, ...e.exchanges.flatMap((x) => [x.method, x.url, String(x.status ?? '')])].join(' ').toLowerCase();
  return `<details class="req ${bad ? 'is-failed' : 'is-passed'}" id="${esc(e.id)}" data-state="${bad ? 'failed' : 'passed'}" data-search="${esc(search)}">
<summary>
  <span class="dot" aria-hidden="true"></span>
  <span class="method m-${esc((main?.method ?? 'get').toLowerCase())}">${esc(main?.method ?? '')}</span>
  <span class="rname"><span class="rpath">${e.path.map((p) => `${esc(p)} / `).join('')}</span>${esc(e.name)}${e.iteration > 1 ? ` <span class="muted">(iteration ${e.iteration})</span>` : ''}</span>
  <span class="rurl">${esc(main?.url ?? '')}</span>
  ${main ? `<span class="pill ${statusClass(main)}">${main.error !== undefined ? 'error' : esc(main.status ?? '')}</span>` : ''}
  <span class="rtime">${ms(main?.timeMs)}</span>
  <span class="rtests ${bad ? 'bad' : ''}">${passedCount}/${e.tests.length} tests</span>
</summary>
<div class="rbody">
  <h3>Tests</h3>${tests(e)}
  ${e.exchanges.map((x, i) => exchange(x, i, e.exchanges.length)).join('')}
</div>
</details>`;
}

function signInTable(users: SignInView[]): string {
  if (users.length === 0) return '<p class="muted">No sign-in information was given to this report.</p>';
  const rows = users.map((u) => {
    const total = Math.max(1, u.steps.reduce((a, s) => a + s.ms, 0));
    const bar = u.steps
      .map((s, i) => `<span class="seg c${i % 6}" style="width:${((s.ms / total) * 100).toFixed(2)}%" title="${esc(`${s.name}: ${s.ms} ms`)}"></span>`)
      .join('');
    const legend = u.steps.map((s, i) => `<li><span class="sw c${i % 6}"></span>${esc(s.name)} <b>${s.ms} ms</b></li>`).join('');
    return `<tr>
  <td><b>${esc(u.name)}</b>${u.name !== u.username ? `<div class="muted">${esc(u.username)}</div>` : ''}</td>
  <td><span class="src src-${esc(u.source)}">${esc(u.source)}</span></td>
  <td class="num">${ms(u.durationMs)}</td>
  <td class="steps"><div class="bar">${bar}</div><ul class="legend">${legend}</ul></td>
  <td>${(u.variables ?? []).map((v) => `<code>${esc(v)}</code>`).join(' ')}</td>
</tr>`;
  });
  return `<div class="scroll"><table class="grid signin"><thead><tr><th>user</th><th>tokens from</th><th>time</th><th>steps</th><th>variables</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

const CSS = `
:root{--bg:#f6f7f9;--panel:#fff;--ink:#1d2330;--muted:#6b7385;--line:#e3e6ec;--pass:#1a7f4b;--pass-bg:#e5f5ec;--fail:#c4302b;--fail-bg:#fdecea;--accent:#3659d6;--warn:#b76e00;--code:#f1f3f7}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
code,pre,.url,.rurl{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
.wrap{max-width:1180px;margin:0 auto;padding:0 24px 48px}
header.top{background:#1d2330;color:#fff;padding:20px 0 18px}
header.top .wrap{padding-bottom:0;display:flex;flex-wrap:wrap;align-items:center;gap:10px 16px}
.brand{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:#aab3c5;width:100%}
h1{margin:0;font-size:22px;font-weight:600}
.badge{font-weight:700;font-size:12px;letter-spacing:.06em;padding:4px 10px;border-radius:999px}
.badge.pass{background:var(--pass);color:#fff}.badge.fail{background:var(--fail);color:#fff}
.meta{color:#aab3c5;font-size:12.5px;width:100%}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin:20px 0}
.card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.card .v{font-size:24px;font-weight:650;margin-top:2px}
.card .s{color:var(--muted);font-size:12.5px}
.card.bad .v{color:var(--fail)}.card.good .v{color:var(--pass)}
nav.tabs{display:flex;gap:4px;border-bottom:1px solid var(--line);margin:8px 0 16px}
nav.tabs button{appearance:none;border:0;background:none;padding:10px 14px;font:inherit;color:var(--muted);cursor:pointer;border-bottom:2px solid transparent;margin-bottom:-1px}
nav.tabs button[aria-selected=true]{color:var(--ink);border-bottom-color:var(--accent);font-weight:600}
nav.tabs .count{display:inline-block;min-width:20px;padding:0 6px;margin-left:6px;border-radius:999px;background:var(--code);font-size:12px;text-align:center}
nav.tabs .count.bad{background:var(--fail-bg);color:var(--fail)}
section.view[hidden]{display:none}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin-bottom:16px}
.panel h2{margin:0 0 10px;font-size:16px}
.banner{padding:12px 16px;border-radius:10px;margin-bottom:16px;font-weight:550}
.banner.ok{background:var(--pass-bg);color:var(--pass)}.banner.bad{background:var(--fail-bg);color:var(--fail)}
ol.failures{margin:0;padding-left:22px}ol.failures li{margin:6px 0}
ol.failures a{color:var(--ink);font-weight:600;text-decoration:none;border-bottom:1px dashed var(--muted)}
ol.failures .why{color:var(--fail);display:block;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
.toolbar{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:12px}
.toolbar button{appearance:none;border:1px solid var(--line);background:var(--panel);padding:6px 12px;border-radius:999px;font:inherit;cursor:pointer;color:var(--ink)}
.toolbar button[aria-pressed=true]{background:var(--ink);border-color:var(--ink);color:#fff}
.toolbar input{flex:1;min-width:200px;padding:7px 12px;border:1px solid var(--line);border-radius:8px;font:inherit;background:var(--panel)}
.toolbar .spacer{flex:1}
.toolbar .link{border:0;background:none;color:var(--accent);padding:6px 4px}
details.req{background:var(--panel);border:1px solid var(--line);border-left:4px solid var(--pass);border-radius:8px;margin-bottom:8px}
details.req.is-failed{border-left-color:var(--fail)}
details.req[hidden]{display:none}
details.req>summary{list-style:none;display:grid;grid-template-columns:10px 64px minmax(160px,1.2fr) minmax(120px,1.4fr) 64px 70px 80px;gap:10px;align-items:center;padding:10px 14px;cursor:pointer}
details.req>summary::-webkit-details-marker{display:none}
details.req[open]>summary{border-bottom:1px solid var(--line)}
.dot{width:10px;height:10px;border-radius:50%;background:var(--pass)}.is-failed .dot{background:var(--fail)}
.method{font-weight:700;font-size:11.5px;letter-spacing:.03em;text-align:center;padding:2px 0;border-radius:4px;background:var(--code);color:#334}
.m-get{color:#1a7f4b}.m-post{color:#b76e00}.m-put,.m-patch{color:#3659d6}.m-delete{color:#c4302b}
.rname{font-weight:550;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.rpath{color:var(--muted);font-weight:400}
.rurl{color:var(--muted);overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.rtime{color:var(--muted);text-align:right}.rtests{text-align:right;color:var(--pass);font-size:12.5px}.rtests.bad{color:var(--fail);font-weight:600}
.pill{display:inline-block;text-align:center;font-weight:650;font-size:12px;padding:2px 8px;border-radius:999px}
.s-2{background:var(--pass-bg);color:var(--pass)}.s-3{background:#e8eefc;color:var(--accent)}.s-4{background:#fff3e0;color:var(--warn)}.s-5,.s-err{background:var(--fail-bg);color:var(--fail)}
.rbody{padding:12px 16px 16px}
.rbody h3{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);margin:4px 0 8px}
.rbody h4{font-size:12px;color:var(--muted);margin:14px 0 6px;text-transform:uppercase;letter-spacing:.04em}
ul.tests{list-style:none;margin:0 0 12px;padding:0}
.t{padding:5px 0;border-bottom:1px dashed var(--line)}.t:last-child{border-bottom:0}
.t .mark{display:inline-block;width:20px;font-weight:700}.t-passed .mark{color:var(--pass)}.t-failed .mark{color:var(--fail)}.t-skipped .mark{color:var(--muted)}
.tmsg{margin:3px 0 0 20px;color:var(--fail);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px;white-space:pre-wrap}
.exchange{border-top:1px solid var(--line);padding-top:12px;margin-top:12px}
.xhead{font-size:12px;color:var(--muted);margin-bottom:6px}
.line{display:flex;gap:10px;align-items:center}.line .method{padding:2px 8px}
.url{word-break:break-all}
.facts{display:flex;gap:14px;align-items:center;margin:8px 0 0;color:var(--muted);font-size:12.5px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px}
@media (max-width:820px){.cols{grid-template-columns:1fr}details.req>summary{grid-template-columns:10px 56px 1fr 56px 70px}.rurl,.rtime{display:none}}
table.kv{border-collapse:collapse;width:100%;font-size:12.5px}
table.kv th{text-align:left;font-weight:600;padding:3px 10px 3px 0;vertical-align:top;white-space:nowrap;color:#3a4256}
table.kv td{padding:3px 0;font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
pre.body{background:var(--code);border-radius:6px;padding:10px 12px;margin:0;max-height:360px;overflow:auto;white-space:pre-wrap;word-break:break-all}
.muted{color:var(--muted)}
table.grid{border-collapse:collapse;width:100%}
table.grid th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);padding:6px 10px;border-bottom:1px solid var(--line)}
table.grid td{padding:10px;border-bottom:1px solid var(--line);vertical-align:top}
table.grid td.num{white-space:nowrap}
.src{font-weight:650;font-size:12px;padding:2px 8px;border-radius:999px}
.src-login{background:#e8eefc;color:var(--accent)}.src-cache{background:var(--pass-bg);color:var(--pass)}.src-refresh{background:#fff3e0;color:var(--warn)}
.steps{min-width:240px;width:45%}.scroll{overflow-x:auto}.signin td:last-child{font-size:12px}.signin td:last-child code{display:inline-block;margin:0 6px 2px 0;word-break:break-all}
.bar{display:flex;height:12px;border-radius:6px;overflow:hidden;background:var(--code)}
.seg{display:block;height:100%}
.c0{background:#3659d6}.c1{background:#1a9e8f}.c2{background:#e0a100}.c3{background:#8a4fd1}.c4{background:#d6517d}.c5{background:#5a8f29}
ul.legend{list-style:none;margin:6px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;color:var(--muted)}
ul.legend b{color:var(--ink);font-weight:600}
.sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:5px}
footer{color:var(--muted);font-size:12px;margin-top:24px}
.empty{padding:24px;text-align:center;color:var(--muted)}
`;

// Tabs, filters and search; every element it needs is in the page. No network, no storage.
const SCRIPT = `
(function(){
  var tabs=[].slice.call(document.querySelectorAll('nav.tabs button'));
  function show(name){
    tabs.forEach(function(t){t.setAttribute('aria-selected',String(t.dataset.view===name));});
    [].forEach.call(document.querySelectorAll('section.view'),function(s){s.hidden=s.id!=='view-'+name;});
  }
  tabs.forEach(function(t){t.addEventListener('click',function(){show(t.dataset.view);});});
  var state='all',query='';
  var reqs=[].slice.call(document.querySelectorAll('details.req'));
  var shown=document.getElementById('shown');
  function apply(){
    var n=0;
    reqs.forEach(function(r){var ok=(state==='all'||r.dataset.state===state)&&(!query||r.dataset.search.indexOf(query)!==-1);r.hidden=!ok;if(ok)n++;});
    document.getElementById('none').hidden=n!==0;
    if(shown)shown.textContent=n+' of '+reqs.length+' shown';
  }
  [].forEach.call(document.querySelectorAll('[data-filter]'),function(b){
    b.addEventListener('click',function(){
      state=b.dataset.filter;
      [].forEach.call(document.querySelectorAll('[data-filter]'),function(o){o.setAttribute('aria-pressed',String(o===b));});
      apply();
    });
  });
  var search=document.getElementById('search');
  search.addEventListener('input',function(){query=search.value.trim().toLowerCase();apply();});
  document.getElementById('expand').addEventListener('click',function(){reqs.forEach(function(r){if(!r.hidden)r.open=true;});});
  document.getElementById('collapse').addEventListener('click',function(){reqs.forEach(function(r){r.open=false;});});
  [].forEach.call(document.querySelectorAll('a[data-open]'),function(a){
    a.addEventListener('click',function(ev){
      ev.preventDefault();
      var r=document.getElementById(a.dataset.open);
      show('requests');
      if(r.hidden){state='all';document.querySelector('[data-filter=all]').click();}
      r.open=true;r.scrollIntoView({block:'start'});
    });
  });
  show(document.body.dataset.start);
  apply();
})();
`;

/** The whole page. Failed requests come first, then the rest in run order. */
export function renderReportPage(v: ReportView): string {
  const failedRuns = v.executions.filter(failed);
  const ordered = [...failedRuns, ...v.executions.filter((e) => !failed(e))];
  const passed = failedRuns.length === 0 && !v.runError && v.assertions.failed === 0;
  const failedTests = v.executions.reduce((n, e) => n + e.tests.filter((t) => t.result === 'failed').length + e.errors.length, 0);
  const failureItems = failedRuns.flatMap((e) => {
    const reasons = [
      ...e.errors.map((m) => ({ test: 'Script error', message: m })),
      ...e.exchanges.filter((x) => x.error !== undefined).map((x) => ({ test: `${x.method} ${x.url}`, message: x.error ?? '' })),
      ...e.tests.filter((t) => t.result === 'failed').map((t) => ({ test: t.name, message: t.message ?? '' })),
    ];
    return reasons.map(
      (r) =>
        `<li><a href="#${esc(e.id)}" data-open="${esc(e.id)}">${e.path.map((p) => `${esc(p)} / `).join('')}${esc(e.name)}</a> — ${esc(r.test)}${e.iteration > 1 ? ` (iteration ${e.iteration})` : ''}<span class="why">${esc(r.message)}</span></li>`,
    );
  });
  const cards = [
    { k: 'Requests', v: String(v.requests.total), s: v.requests.failed ? `${v.requests.failed} without a response` : 'all answered', c: v.requests.failed ? 'bad' : 'good' },
    { k: 'Tests', v: String(v.assertions.total), s: `${v.assertions.failed} failed`, c: v.assertions.failed ? 'bad' : 'good' },
    { k: 'Failing requests', v: String(failedRuns.length), s: `of ${v.executions.length} run`, c: failedRuns.length ? 'bad' : 'good' },
    { k: 'Duration', v: ms(v.durationMs), s: v.iterations > 1 ? `${v.iterations} iterations` : '1 iteration', c: '' },
    { k: 'Users', v: String(v.signIns.length), s: v.signIns.map((u) => `${u.name} (${u.source})`).join(', ') || 'none', c: '' },
  ];
  const title = `${v.title}: ${v.collection}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="cognito-newman">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body data-start="summary">
<header class="top"><div class="wrap">
  <div class="brand">${esc(v.title)}</div>
  <h1>${esc(v.collection || 'collection')}</h1>
  <span class="badge ${passed ? 'pass' : 'fail'}">${passed ? 'PASSED' : 'FAILED'}</span>
  <div class="meta">Run ${esc(v.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · ${ms(v.durationMs)} · secrets and tokens are shown as [REDACTED]</div>
</div></header>
<div class="wrap">
<section class="cards">${cards.map((c) => `<div class="card ${c.c}"><div class="k">${c.k}</div><div class="v">${esc(c.v)}</div><div class="s">${esc(c.s)}</div></div>`).join('')}</section>
<nav class="tabs" role="tablist">
  <button type="button" role="tab" data-view="summary" aria-selected="true">Summary</button>
  <button type="button" role="tab" data-view="requests" aria-selected="false">Requests<span class="count ${failedRuns.length ? 'bad' : ''}">${v.executions.length}</span></button>
  <button type="button" role="tab" data-view="signin" aria-selected="false">Sign-in<span class="count">${v.signIns.length}</span></button>
</nav>
<section class="view" id="view-summary">
  ${v.runError ? `<div class="banner bad">The run stopped with an error: ${esc(v.runError)}</div>` : ''}
  ${
    failureItems.length
      ? `<div class="panel"><h2>Failures (${failedTests || failureItems.length})</h2><ol class="failures">${failureItems.join('')}</ol></div>`
      : `<div class="banner ok">All ${v.executions.length} requests and ${v.assertions.total} tests passed.</div>`
  }
  <div class="panel"><h2>Sign-in</h2>${signInTable(v.signIns)}</div>
</section>
<section class="view" id="view-requests" hidden>
  <div class="toolbar">
    <button type="button" data-filter="all" aria-pressed="true">All ${v.executions.length}</button>
    <button type="button" data-filter="failed" aria-pressed="false">Failed ${failedRuns.length}</button>
    <button type="button" data-filter="passed" aria-pressed="false">Passed ${v.executions.length - failedRuns.length}</button>
    <input id="search" type="search" placeholder="Filter by name, URL, method or status" aria-label="Filter requests">
    <button type="button" class="link" id="expand">Expand all</button>
    <button type="button" class="link" id="collapse">Collapse all</button>
    <span class="muted" id="shown"></span>
  </div>
  ${ordered.map(execution).join('\n')}
  <div class="empty" id="none" hidden>No request matches.</div>
</section>
<section class="view" id="view-signin" hidden>
  <div class="panel"><h2>How each user got tokens</h2>${signInTable(v.signIns)}
  <p class="muted">login: a browser sign-in through the Hosted UI · cache: tokens cached by an earlier run · refresh: new tokens from the cached refresh token.</p></div>
</section>
<footer>Generated by cognito-newman. This file makes no network requests.</footer>
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
