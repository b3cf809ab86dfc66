#!/usr/bin/env node
// Merge the JUnit XML reports of several shards (`cognito-newman run --shard i/n`) into one report
// whose counts are the sums of theirs, so CI shows one result for the whole collection.
// Plain Node with no dependencies on purpose: the nightly workflow's merge job runs it without
// `npm ci`, and it must keep working whatever is (or is not) in node_modules.
//
//   node scripts/merge-junit.mjs <out.xml> <in.xml>... [--name NAME] [--summary FILE]
//
// Every <testsuite> of every input is copied byte for byte (CDATA, failure text and all) under one
// <testsuites> root; only the root's attributes are computed. It reads the structure Newman's junit
// reporter writes (testsuites > testsuite > testcase > failure, system-err) and the common variants
// (a bare <testsuite> root, <error>, <skipped>, nested suites).
import { appendFileSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

const USAGE = 'usage: node scripts/merge-junit.mjs <out.xml> <in.xml>... [--name NAME] [--summary FILE]';

/** Thrown for input we cannot use; the CLI turns it into exit code 2 (usage or configuration). */
export class JunitError extends Error {
  constructor(message) {
    super(message);
    this.name = 'JunitError';
  }
}

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref] ?? whole;
  });
}

function escapeAttr(value) {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** The tags of an XML text in order; comments, CDATA, PIs and doctype are skipped, never parsed. */
function* tags(xml, source) {
  let i = 0;
  const skipTo = (from, marker, what) => {
    const end = xml.indexOf(marker, from);
    if (end < 0) throw new JunitError(`${source}: unterminated ${what}.`);
    return end + marker.length;
  };
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) return;
    if (xml.startsWith('<!--', lt)) i = skipTo(lt + 4, '-->', 'comment');
    else if (xml.startsWith('<![CDATA[', lt)) i = skipTo(lt + 9, ']]>', 'CDATA section');
    else if (xml.startsWith('<?', lt)) i = skipTo(lt + 2, '?>', 'processing instruction');
    else if (xml.startsWith('<!', lt)) i = skipTo(lt + 2, '>', 'declaration');
    else if (xml.startsWith('</', lt)) {
      const end = skipTo(lt + 2, '>', 'end tag');
      yield { kind: 'close', name: xml.slice(lt + 2, end - 1).trim(), start: lt, end };
      i = end;
    } else {
      // A start tag ends at the first '>' outside a quoted attribute value.
      let j = lt + 1;
      let quote = '';
      for (; j < xml.length; j++) {
        const c = xml[j];
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
      }
      if (j >= xml.length) throw new JunitError(`${source}: unterminated start tag at offset ${lt}.`);
      let body = xml.slice(lt + 1, j);
      const selfClosing = body.endsWith('/');
      if (selfClosing) body = body.slice(0, -1);
      const name = /^[^\s/>]+/.exec(body)?.[0] ?? '';
      if (!name) throw new JunitError(`${source}: malformed tag at offset ${lt}.`);
      const attrs = {};
      for (const m of body.slice(name.length).matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attrs[m[1]] = decodeEntities(m[2] ?? m[3] ?? '');
      }
      yield { kind: 'open', name, attrs, selfClosing, start: lt, end: j + 1 };
      i = j + 1;
    }
  }
}

const num = (value) => {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Read one JUnit XML report: for each top-level <testsuite>, its exact source text, counts and test
 * cases, and the report's totals (sums over its suites). Throws JunitError when it is not JUnit XML.
 */
export function parseJunit(xml, source = 'input') {
  let root;
  const suites = [];
  const stack = [];
  let suite; // the top-level suite being read
  let testcase; // the test case being read, inside `suite`

  const openSuite = (tag) => ({
    name: tag.attrs.name ?? '',
    attrs: tag.attrs,
    start: tag.start,
    raw: '',
    testcases: [],
  });
  const closeSuite = (end) => {
    suite.raw = xml.slice(suite.start, end);
    suites.push(finishSuite(suite));
    suite = undefined;
  };

  for (const tag of tags(xml, source)) {
    if (tag.kind === 'open') {
      if (!root) {
        if (tag.name !== 'testsuites' && tag.name !== 'testsuite') {
          throw new JunitError(`${source}: the root element is <${tag.name}>, not <testsuites> or <testsuite>.`);
        }
        root = tag;
      } else if (stack.length === 0) {
        throw new JunitError(`${source}: content after the root element.`);
      }
      const topLevelSuite =
        tag.name === 'testsuite' && ((root === tag && tag.name === 'testsuite') || (stack.length === 1 && root.name === 'testsuites'));
      if (topLevelSuite) suite = openSuite(tag);
      else if (suite && tag.name === 'testcase') {
        testcase = { name: tag.attrs.name ?? '', classname: tag.attrs.classname ?? '', status: 'passed', message: '' };
        suite.testcases.push(testcase);
        if (tag.selfClosing) testcase = undefined;
      } else if (testcase && (tag.name === 'failure' || tag.name === 'error')) {
        // An error outranks a failure if a tool writes both.
        if (testcase.status !== 'error') testcase.status = tag.name === 'error' ? 'error' : 'failed';
        if (!testcase.message) testcase.message = tag.attrs.message ?? tag.attrs.type ?? '';
      } else if (testcase && tag.name === 'skipped' && testcase.status === 'passed') {
        testcase.status = 'skipped';
      }
      if (tag.selfClosing) {
        if (topLevelSuite) closeSuite(tag.end);
      } else {
        stack.push(tag.name);
      }
    } else {
      const open = stack.pop();
      if (open !== tag.name) {
        throw new JunitError(`${source}: </${tag.name}> closes <${open ?? 'nothing'}> at offset ${tag.start}.`);
      }
      if (tag.name === 'testcase') testcase = undefined;
      if (suite && tag.name === 'testsuite' && (stack.length === 0 || (stack.length === 1 && root.name === 'testsuites'))) {
        closeSuite(tag.end);
      }
    }
  }
  if (!root) throw new JunitError(`${source}: no XML element found; is this a JUnit report?`);
  if (stack.length) throw new JunitError(`${source}: <${stack[stack.length - 1]}> is never closed.`);

  // Counts come from the suites, not the root: Newman's root `tests` counts test scripts while its
  // suites count assertions, and totals must agree with the failures they sit next to.
  const sum = (key) => suites.reduce((n, s) => n + s[key], 0);
  return {
    source,
    name: root.attrs.name ?? '',
    tests: sum('tests'),
    failures: sum('failures'),
    errors: sum('errors'),
    skipped: sum('skipped'),
    time: (root.name === 'testsuites' ? num(root.attrs.time) : undefined) ?? sum('time'),
    suites,
  };
}

/** A suite's counts: its own attributes where given (Newman writes them), else counted from its cases. */
function finishSuite(s) {
  const count = (status) => s.testcases.filter((t) => t.status === status).length;
  return {
    name: s.name,
    raw: s.raw,
    testcases: s.testcases,
    tests: num(s.attrs.tests) ?? s.testcases.length,
    failures: num(s.attrs.failures) ?? count('failed'),
    errors: num(s.attrs.errors) ?? count('error'),
    skipped: num(s.attrs.skipped) ?? count('skipped'),
    time: num(s.attrs.time) ?? 0,
  };
}

/**
 * Merge parsed reports (from {@link parseJunit}) into one JUnit document: every suite kept verbatim,
 * the root's `tests`, `failures`, `errors`, `skipped` and `time` summed over the inputs.
 */
export function mergeJunit(reports, options = {}) {
  const totals = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0, suites: 0, testcases: 0 };
  for (const r of reports) {
    totals.tests += r.tests;
    totals.failures += r.failures;
    totals.errors += r.errors;
    totals.skipped += r.skipped;
    totals.time += r.time;
    totals.suites += r.suites.length;
    totals.testcases += r.suites.reduce((n, s) => n + s.testcases.length, 0);
  }
  const name = options.name ?? reports.find((r) => r.name)?.name ?? 'merged';
  const attrs = [
    `name="${escapeAttr(name)}"`,
    `tests="${totals.tests}"`,
    `failures="${totals.failures}"`,
    `errors="${totals.errors}"`,
    ...(totals.skipped ? [`skipped="${totals.skipped}"`] : []),
    `time="${totals.time.toFixed(3)}"`,
  ];
  const body = reports.flatMap((r) => r.suites.map((s) => `  ${s.raw}\n`)).join('');
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attrs.join(' ')}>\n${body}</testsuites>\n`;
  return { xml, name, totals };
}

const mdCell = (text) => String(text).replace(/\s+/g, ' ').replace(/([|`*_[\]<>])/g, '\\$1');
const MAX_FAILURES_LISTED = 50;

/** A Markdown job summary of the merged result: totals, one row per input, the failed cases. */
export function summaryMarkdown(reports, merged) {
  const t = merged.totals;
  const ok = t.failures === 0 && t.errors === 0;
  const lines = [
    `### ${ok ? '✅' : '❌'} ${mdCell(merged.name)}: ${t.tests} tests, ${t.failures} failed, ${t.errors} errors`,
    '',
    '| report | suites | tests | failures | errors | time (s) |',
    '|---|---:|---:|---:|---:|---:|',
    ...reports.map(
      (r) => `| ${mdCell(r.source)} | ${r.suites.length} | ${r.tests} | ${r.failures} | ${r.errors} | ${r.time.toFixed(1)} |`,
    ),
    `| **all** | ${t.suites} | ${t.tests} | ${t.failures} | ${t.errors} | ${t.time.toFixed(1)} |`,
  ];
  const failed = reports.flatMap((r) =>
    r.suites.flatMap((s) => s.testcases.filter((c) => c.status === 'failed' || c.status === 'error').map((c) => ({ s, c }))),
  );
  if (failed.length) {
    lines.push('', '**Failed:**', '');
    for (const { s, c } of failed.slice(0, MAX_FAILURES_LISTED)) {
      const message = c.message.length > 200 ? `${c.message.slice(0, 200)}…` : c.message;
      lines.push(`- ${mdCell(s.name)} › ${mdCell(c.name)}${message ? `: ${mdCell(message)}` : ''}`);
    }
    if (failed.length > MAX_FAILURES_LISTED) lines.push(`- … and ${failed.length - MAX_FAILURES_LISTED} more`);
  }
  return `${lines.join('\n')}\n`;
}

/** The command line. Returns the exit code: 0 merged, 2 bad arguments or unreadable input. */
export function main(argv, io = { out: process.stdout, err: process.stderr }) {
  const positional = [];
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      io.out.write(`${USAGE}\n`);
      return 0;
    }
    if (a === '--name' || a === '--summary') {
      const value = argv[++i];
      if (value === undefined) {
        io.err.write(`merge-junit: ${a} needs a value.\n${USAGE}\n`);
        return 2;
      }
      options[a.slice(2)] = value;
    } else if (a.startsWith('--')) {
      io.err.write(`merge-junit: unknown option ${a}.\n${USAGE}\n`);
      return 2;
    } else positional.push(a);
  }
  const [out, ...inputs] = positional;
  if (!out || inputs.length === 0) {
    io.err.write(`merge-junit: give the output file and at least one input report.\n${USAGE}\n`);
    return 2;
  }
  let reports;
  try {
    reports = inputs.map((path) => {
      let text;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        throw new JunitError(`cannot read ${path} (${e.code ?? e.message}).`);
      }
      return parseJunit(text, path);
    });
  } catch (e) {
    if (!(e instanceof JunitError)) throw e;
    io.err.write(`merge-junit: ${e.message}\n`);
    return 2;
  }
  const merged = mergeJunit(reports, options.name === undefined ? {} : { name: options.name });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, merged.xml);
  if (options.summary) appendFileSync(options.summary, summaryMarkdown(reports, merged));
  const t = merged.totals;
  io.out.write(
    `merged ${reports.length} report(s), ${t.suites} suites: ${t.tests} tests, ${t.failures} failures, ${t.errors} errors -> ${out}\n`,
  );
  return 0;
}

const invokedDirectly = (() => {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
})();
if (invokedDirectly) process.exitCode = main(process.argv.slice(2));
