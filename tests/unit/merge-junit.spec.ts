// Unit tests of scripts/merge-junit.mjs, which merges the shards' JUnit reports in the nightly
// workflow: counts add up, every test case survives byte for byte, bad input is exit 2; and, with
// real Newman output, a collection run as 2 shards merges to the same result as the whole run.
import { test, expect } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import newman from 'newman';
import { JunitError, main, mergeJunit, parseJunit, summaryMarkdown, type JunitReport } from '../../scripts/merge-junit.mjs';
import { shardCollection, type CollectionJson } from '../../src/newman/shard.js';

const SCRIPT = join(import.meta.dirname, '../../scripts/merge-junit.mjs');

// The exact shape Newman 6's junit reporter writes (lib/reporters/junit): attributes it does not
// escape ('>'), CDATA split around ']]>', self-closing suites and cases.
const SHARD_1 = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Demo API" tests="3" time="0.120">
  <testsuite name="Admin / GET reports" id="a1" timestamp="2026-01-01T00:00:00.000Z" tests="2" failures="1" errors="0" time="0.080">
    <testcase name="status is 200" time="0.080" classname="AdminGetReports"/>
    <testcase name="body has </testsuite> and ]]> in it" time="0.080" classname="AdminGetReports">
      <failure type="AssertionFailure" message="expected 403 to equal 200">
        <![CDATA[Failed 1 times.]]>
        <![CDATA[Test description: body has </testsuite> and ]]]]><![CDATA[> in it.]]>
        <![CDATA[Stacktrace: AssertionError: expected 403 to equal 200 <testcase name="fake"/>.]]>
      </failure>
    </testcase>
  </testsuite>
  <testsuite name="Admin / empty" id="a2" timestamp="2026-01-01T00:00:00.000Z" tests="0" failures="0" errors="0" time="0.010"/>
  <testsuite name="health" id="h" timestamp="2026-01-01T00:00:00.000Z" tests="1" failures="0" errors="0" time="0.030">
    <testcase name="up" time="0.030" classname="Health"/>
  </testsuite>
</testsuites>
`;
const SHARD_2 = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Demo API" tests="2" time="0.200">
  <testsuite name="Reader / GET me" id="r1" timestamp="2026-01-01T00:00:00.000Z" tests="2" failures="0" errors="1" time="0.200">
    <system-err><![CDATA[Iteration: 0
RequestError: connect ECONNREFUSED 127.0.0.1:1
---
]]></system-err>
    <testcase name="status is 200" time="0.200" classname="ReaderGetMe"/>
    <testcase name="has sub" time="0.200" classname="ReaderGetMe"/>
  </testsuite>
</testsuites>
`;
// What Newman writes for a shard that ran nothing.
const EMPTY_SHARD = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="Demo API" tests="0" time="0.000"/>
`;

const caseKeys = (r: JunitReport) =>
  r.suites.flatMap((s) => s.testcases.map((c) => `${s.name} › ${c.name} › ${c.status}`)).sort();

test.describe('parseJunit', () => {
  test("reads Newman's report: suites, cases, statuses and counts, CDATA left alone", () => {
    const r = parseJunit(SHARD_1, 'shard-1.xml');
    expect(r.name).toBe('Demo API');
    expect(r.suites.map((s) => s.name)).toEqual(['Admin / GET reports', 'Admin / empty', 'health']);
    expect(caseKeys(r)).toEqual([
      'Admin / GET reports › body has </testsuite> and ]]> in it › failed',
      'Admin / GET reports › status is 200 › passed',
      'health › up › passed',
    ]);
    expect(r.suites[0]!.testcases[1]!.message).toBe('expected 403 to equal 200');
    expect([r.tests, r.failures, r.errors, r.time]).toEqual([3, 1, 0, 0.12]);
  });

  test('reads a bare <testsuite> root and counts cases when the suite has no count attributes', () => {
    const r = parseJunit(
      `<testsuite name="solo"><testcase name="a"/><testcase name="b"><error message="boom"/></testcase><testcase name="c"><skipped/></testcase><testcase name="d"><failure/></testcase></testsuite>`,
    );
    expect(r.suites).toHaveLength(1);
    expect([r.tests, r.failures, r.errors, r.skipped]).toEqual([4, 1, 1, 1]);
  });

  test('reads the empty report of a shard that ran nothing', () => {
    const r = parseJunit(EMPTY_SHARD);
    expect(r.suites).toEqual([]);
    expect([r.tests, r.failures, r.errors]).toEqual([0, 0, 0]);
  });

  for (const [what, xml] of [
    ['an HTML page', '<!doctype html><html><body>502 Bad Gateway</body></html>'],
    ['an empty file', ''],
    ['a truncated report', SHARD_1.slice(0, SHARD_1.indexOf('<testsuite name="health"'))],
    ['an unterminated CDATA section', '<testsuites><testsuite name="x"><system-err><![CDATA[oops</system-err></testsuite></testsuites>'],
    ['mismatched tags', '<testsuites><testsuite name="x"></testcase></testsuites>'],
  ] as const) {
    test(`refuses ${what}`, () => {
      expect(() => parseJunit(xml, 'bad.xml')).toThrow(JunitError);
    });
  }
});

test.describe('mergeJunit', () => {
  test('sums tests, failures, errors and time over the inputs', () => {
    const reports = [SHARD_1, SHARD_2, EMPTY_SHARD].map((x, i) => parseJunit(x, `shard-${i + 1}.xml`));
    const merged = mergeJunit(reports);
    expect(merged.totals).toMatchObject({ tests: 5, failures: 1, errors: 1, suites: 4, testcases: 5 });
    expect(merged.totals.time).toBeCloseTo(0.32, 6);
    expect(merged.xml).toContain('<testsuites name="Demo API" tests="5" failures="1" errors="1" time="0.320">');
  });

  test('keeps every suite and test case, byte for byte, and re-reads to the same counts', () => {
    const reports = [parseJunit(SHARD_1, 'a'), parseJunit(SHARD_2, 'b')];
    const merged = mergeJunit(reports);
    for (const s of reports.flatMap((r) => r.suites)) expect(merged.xml).toContain(s.raw);
    const again = parseJunit(merged.xml, 'merged');
    expect(caseKeys(again)).toEqual([...caseKeys(reports[0]!), ...caseKeys(reports[1]!)].sort());
    expect([again.tests, again.failures, again.errors]).toEqual([5, 1, 1]);
    expect(again.time).toBeCloseTo(0.32, 6);
  });

  test('names the result after the inputs unless told, and escapes the name', () => {
    const r = [parseJunit(SHARD_1)];
    expect(mergeJunit(r).name).toBe('Demo API');
    expect(mergeJunit(r, { name: 'Nightly <all> & "shards"' }).xml).toContain(
      'name="Nightly &lt;all&gt; &amp; &quot;shards&quot;"',
    );
  });

  test('the job summary gives totals, one row per shard and the failed cases', () => {
    const reports = [parseJunit(SHARD_1, 'shard-1/junit.xml'), parseJunit(SHARD_2, 'shard-2/junit.xml')];
    const md = summaryMarkdown(reports, mergeJunit(reports));
    expect(md).toContain('Demo API: 5 tests, 1 failed, 1 errors');
    expect(md).toContain('| shard-1/junit.xml | 3 | 3 | 1 | 0 |');
    expect(md).toContain('| **all** | 4 | 5 | 1 | 1 |');
    expect(md).toContain('Admin / GET reports › body has \\</testsuite\\> and \\]\\]\\> in it: expected 403 to equal 200');
  });
});

test.describe('merge-junit command line', () => {
  let dir: string;
  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'merge-junit-'));
  });
  test.afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', cwd: dir });

  test('writes the merged file and appends the Markdown summary', () => {
    writeFileSync(join(dir, 's1.xml'), SHARD_1);
    writeFileSync(join(dir, 's2.xml'), SHARD_2);
    writeFileSync(join(dir, 'summary.md'), '# earlier step\n');
    const res = run('out/junit.xml', 's1.xml', 's2.xml', '--summary', 'summary.md');
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('merged 2 report(s), 4 suites: 5 tests, 1 failures, 1 errors -> out/junit.xml');
    const merged = parseJunit(readFileSync(join(dir, 'out/junit.xml'), 'utf8'));
    expect([merged.tests, merged.failures, merged.errors, merged.suites.length]).toEqual([5, 1, 1, 4]);
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary.startsWith('# earlier step\n')).toBe(true);
    expect(summary).toContain('| **all** | 4 | 5 | 1 | 1 |');
  });

  test('exits 2 with usage when inputs are missing', () => {
    const res = run('out.xml');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('usage: node scripts/merge-junit.mjs');
  });

  test('exits 2 naming a file it cannot read or parse, and writes nothing', () => {
    writeFileSync(join(dir, 'page.html'), '<html></html>');
    expect(run('out.xml', 'nope.xml').stderr).toContain('cannot read nope.xml (ENOENT)');
    const res = run('out.xml', 'page.html');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('page.html: the root element is <html>');
    expect(existsSync(join(dir, 'out.xml'))).toBe(false);
  });

  test('refuses an unknown option', () => {
    const lines: string[] = [];
    const io = { out: { write: (s: string) => lines.push(s) }, err: { write: (s: string) => lines.push(s) } };
    expect(main(['--shards', '2', 'out.xml', 'in.xml'], io)).toBe(2);
    expect(lines.join('')).toContain('unknown option --shards');
  });
});

test.describe('with real Newman reports', () => {
  let server: http.Server;
  let base: string;
  test.beforeAll(async () => {
    // A tiny API: /ok answers 200, anything under /missing 404, so some assertions fail.
    server = http.createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const request = (name: string, path: string) => ({
    name,
    request: { method: 'GET', url: `${base}${path}` },
    event: [
      {
        listen: 'test',
        script: {
          exec: [
            "pm.test('status is 200', () => pm.response.to.have.status(200));",
            "pm.test('echoes the path', () => pm.expect(pm.response.json().path).to.be.a('string'));",
          ],
        },
      },
    ],
  });

  function runNewman(collection: CollectionJson, file: string): Promise<void> {
    return new Promise((resolve, reject) => {
      newman.run(
        { collection: collection as never, reporters: ['junit'], reporter: { junit: { export: file } } },
        (err) => (err ? reject(err) : resolve()),
      );
    });
  }

  test('a collection run as 2 shards merges to the same tests and results as the whole run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shard-newman-'));
    try {
      const collection: CollectionJson = {
        info: { name: 'Sharded', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
        item: [
          request('health', '/ok'),
          { name: 'Users', item: [request('list', '/ok/users'), request('gone', '/missing/user'), request('me', '/ok/me')] },
          { name: 'Reports', item: [request('daily', '/ok/daily'), request('weekly', '/missing/weekly')] },
          { name: 'Admin', item: [{ name: 'Nested', item: [request('audit', '/ok/audit')] }] },
        ],
      };
      await runNewman(collection, join(dir, 'whole.xml'));
      const parts = [1, 2].map((index) => shardCollection(collection, { index, total: 2 }));
      expect(parts.every((p) => p.folders.length > 0)).toBe(true);
      await runNewman(parts[0]!.collection, join(dir, 'shard-1.xml'));
      await runNewman(parts[1]!.collection, join(dir, 'shard-2.xml'));

      const res = spawnSync(
        process.execPath,
        [SCRIPT, join(dir, 'merged.xml'), join(dir, 'shard-1.xml'), join(dir, 'shard-2.xml')],
        { encoding: 'utf8' },
      );
      expect(res.status).toBe(0);
      const whole = parseJunit(readFileSync(join(dir, 'whole.xml'), 'utf8'), 'whole');
      const merged = parseJunit(readFileSync(join(dir, 'merged.xml'), 'utf8'), 'merged');
      expect(whole.failures).toBe(2); // the two /missing requests fail their status check
      expect([merged.tests, merged.failures, merged.errors]).toEqual([whole.tests, whole.failures, whole.errors]);
      expect(caseKeys(merged)).toEqual(caseKeys(whole));
      expect(merged.suites.map((s) => s.name).sort()).toEqual(whole.suites.map((s) => s.name).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
