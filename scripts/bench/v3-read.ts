// Bench (issue 19): what reading a 200-request Postman v3 collection folder adds to a run. Each
// measurement is a fresh Node process that has loaded Newman (as a run has: Newman's URL parser is
// shared), then times loading the v3 reader and reading the folder into the 2.1 collection.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { keyedFigure, type KeyedFigure } from './figure.js';

export type V3ReadFigure = KeyedFigure;

/** 10 folders of 20 requests, each with headers, query params, a JSON body, auth and both scripts: a realistic 200. */
export function writeBenchCollection(dir: string, folders = 10, perFolder = 20): void {
  mkdirSync(join(dir, '.resources'), { recursive: true });
  writeFileSync(
    join(dir, '.resources', 'definition.yaml'),
    '$kind: collection\nname: Bench 200\nvariables:\n  baseUrl: http://127.0.0.1:9\nauth:\n  - type: bearer\n    credentials:\n      token: "{{accessToken}}"\n',
  );
  for (let f = 0; f < folders; f++) {
    const folder = join(dir, `Folder ${f}`);
    mkdirSync(join(folder, '.resources'), { recursive: true });
    writeFileSync(join(folder, '.resources', 'definition.yaml'), `$kind: collection\norder: ${(f + 1) * 1000}\ndescription: Folder ${f}\n`);
    for (let r = 0; r < perFolder; r++) {
      writeFileSync(
        join(folder, `request ${r}.request.yaml`),
        [
          '$kind: http-request',
          `url: "{{baseUrl}}/things/:id?page=${r}&size=20"`,
          'method: POST',
          'headers:',
          '  - key: Content-Type',
          '    value: application/json',
          '  - key: X-Trace',
          `    value: trace-${f}-${r}`,
          'queryParams:',
          '  - key: page',
          `    value: "${r}"`,
          '  - key: size',
          '    value: "20"',
          'pathVariables:',
          '  id: "42"',
          'body:',
          '  type: json',
          '  content: |-',
          '    {',
          `      "name": "thing ${r}",`,
          '      "tags": ["a", "b"]',
          '    }',
          'scripts:',
          '  - type: beforeRequest',
          "    code: pm.variables.set('started', Date.now());",
          '    language: text/javascript',
          '  - type: afterResponse',
          '    code: |-',
          "      pm.test('status 200', () => pm.response.to.have.status(200));",
          "      pm.test('json', () => pm.response.to.be.json);",
          '    language: text/javascript',
          `order: ${(r + 1) * 1000}`,
          '',
        ].join('\n'),
      );
    }
  }
}

function timeOnce(root: string, dir: string): Promise<{ wall: number; cpu: number }> {
  const reader = pathToFileURL(join(root, 'dist', 'src', 'newman', 'v3', 'read.js')).href;
  const code = `await import('newman');
const t = performance.now();
const c = process.cpuUsage();
const { readV3Collection } = await import(${JSON.stringify(reader)});
const { collection } = await readV3Collection(${JSON.stringify(dir)});
const ms = performance.now() - t;
const cpu = process.cpuUsage(c);
const n = collection.item.reduce((s, f) => s + f.item.length, 0);
if (n !== 200) throw new Error('read ' + n + ' requests');
process.stdout.write(JSON.stringify({ wall: ms, cpu: (cpu.user + cpu.system) / 1000 }));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(out) as { wall: number; cpu: number });
      else reject(new Error(`v3 read bench exited ${code}: ${err.slice(-300)}`));
    });
  });
}

/**
 * Medians of `runs` fresh processes (after one warm-up for the disk cache). The figure is the CPU
 * time the reading costs (user + system): on a shared 2-core machine the wall time mostly measures
 * the other processes; it is given beside it.
 */
export async function benchV3Read(opts: { root: string; runs: number }): Promise<V3ReadFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cn-bench-v3-'));
  try {
    writeBenchCollection(dir);
    await timeOnce(opts.root, dir);
    const runs: Array<{ wall: number; cpu: number }> = [];
    for (let i = 0; i < opts.runs; i++) runs.push(await timeOnce(opts.root, dir));
    const figure = keyedFigure;
    process.stderr.write('reading a 200-request v3 collection folder (issue 19): reader load + parse, fresh process with Newman loaded\n');
    return [figure('v3ReadCpu', 'v3 folder of 200 requests read, CPU time', runs.map((r) => r.cpu)), figure('v3ReadWall', 'v3 folder of 200 requests read, wall time', runs.map((r) => r.wall))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
