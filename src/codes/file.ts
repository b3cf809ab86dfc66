// Codes from a local directory (one file per message: the emulator's email sink writes .eml files,
// many SMS test sinks write one JSON or text file each) or a single file appended to (JSON lines, as
// the emulator's SMS sink writes). "Arrived since the baseline" means a file that was not there, or
// bytes appended after the file's size at the baseline.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CodeSource } from '../config/factors.js';
import { parseRecordText, type CodeMessage } from './extract.js';
import { SourceError, type CodeReader } from './reader.js';

type FileSource = Extract<CodeSource, { kind: 'file' }>;

/** The offset of the first JSON line stamped at or after `since` (SMS sinks stamp each line); 0 when none says. */
async function sizeBefore(path: string, since: number): Promise<number> {
  const text = await readFile(path, 'utf8').catch(() => '');
  let offset = 0;
  for (const line of text.split('\n')) {
    const at = /"(?:timestamp|Timestamp|at|date)"\s*:\s*"([^"]+)"/.exec(line)?.[1];
    if (!at || Number.isNaN(Date.parse(at)) || Date.parse(at) >= since) return offset;
    offset += Buffer.byteLength(line) + 1;
  }
  return Math.min(offset, Buffer.byteLength(text));
}

export function fileReader(source: FileSource): CodeReader {
  let seen = new Set<string>();
  let offset = 0;
  let isDir: boolean | undefined;
  const cache = new Map<string, (CodeMessage & { key: string })[]>();

  const kind = async (): Promise<'dir' | 'file' | 'missing'> => {
    try {
      return (await stat(source.path)).isDirectory() ? 'dir' : 'file';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw new SourceError(`${source.display} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`, true, 'Check the path and its permissions.');
    }
  };

  return {
    async baseline(since) {
      const k = await kind();
      isDir = k === 'dir' ? true : k === 'file' ? false : undefined;
      if (k === 'dir') {
        const names = await readdir(source.path);
        const times = await Promise.all(names.map((n) => stat(join(source.path, n)).then((s) => s.mtimeMs, () => 0)));
        seen = new Set(names.filter((_, i) => times[i]! < since));
      } else if (k === 'file') {
        // Lines appended since `since` are new: keep the size it had then, as far as the file says.
        const s = await stat(source.path);
        offset = s.mtimeMs < since ? s.size : await sizeBefore(source.path, since);
      } else offset = 0;
    },
    async poll() {
      const k = await kind();
      if (k === 'missing') return [];
      if (isDir === undefined) isDir = k === 'dir';
      if (k === 'dir') {
        const names = (await readdir(source.path)).filter((n) => !seen.has(n) && !n.startsWith('.'));
        const withTimes = await Promise.all(
          names.map(async (n) => ({ n, t: await stat(join(source.path, n)).then((s) => (s.isFile() ? s.mtimeMs : -1), () => -1) })),
        );
        const out: (CodeMessage & { key: string })[] = [];
        for (const { n, t } of withTimes.filter((x) => x.t >= 0).sort((a, b) => b.t - a.t)) {
          let msgs = cache.get(n);
          if (!msgs) {
            const text = await readFile(join(source.path, n), 'utf8').catch(() => '');
            // A file still being written parses as nothing yet; look again next time.
            msgs = (await parseRecordText(text)).map((m, i) => ({ ...m, at: m.at ?? new Date(t), key: `${n}#${i}` }));
            if (msgs.length) cache.set(n, msgs);
          }
          out.push(...[...msgs].reverse());
        }
        return out;
      }
      const size = (await stat(source.path)).size;
      if (size <= offset) return [];
      const fh = await open(source.path, 'r');
      try {
        const buf = Buffer.alloc(size - offset);
        await fh.read(buf, 0, buf.length, offset);
        // Only whole lines: a record being appended is read next time.
        const text = buf.toString('utf8');
        const end = text.lastIndexOf('\n');
        const complete = end >= 0 ? text.slice(0, end + 1) : '';
        const msgs = await parseRecordText(complete);
        return msgs.map((m, i) => ({ ...m, key: `${offset}#${i}` })).reverse();
      } finally {
        await fh.close();
      }
    },
    async probe() {
      if ((await kind()) === 'missing') {
        throw new SourceError(`${source.display} does not exist`, true, 'Create it, or point the code source at the directory or file your SMS/email sink writes.');
      }
    },
    async close() {},
  };
}
