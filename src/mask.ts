// GitHub Actions `::add-mask::` commands: the one function every mask the CLI, the library and the
// Action emit goes through (log.ts for each secret as it is learnt, newman/run.ts before a run,
// action/mask-env.ts for the secrets given to the Action in its environment).
//
// What the runner does with them (actions/runner, ActionCommand and SecretMasker): it reads its
// output line by line; a line `::add-mask::X` is consumed, X is unescaped (%0D, %0A, %25) and
// masked in every later line. So a value must be escaped, a value with a line break is registered
// line by line (no single line of the log can hold it whole), and a value written raw with a line
// break would print its later lines as ordinary log lines: the very secret, in clear.

/** Escaping of a workflow command's data part, as @actions/core does (`%`, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export interface MaskOptions {
  /**
   * Keys of a structured (JSON) secret whose values are no secret, such as the username: masking
   * "admin" would blank every "admin" in the job log.
   */
  publicKeys?: readonly string[];
}

// A shorter line of a multi-line value ("}", "==") or field of a structured one ("1") is no secret on
// its own, and masking it would blank that text everywhere in the job log.
const MIN_PART_LENGTH = 3;

/**
 * The strings the runner must learn to hide `value` from the log:
 * - a structured secret (a JSON object or array, as Secrets Manager stores credentials, often
 *   pretty-printed) gives the values of its fields (except `publicKeys`), each by these same rules,
 *   instead of the whole text;
 * - a value with line breaks gives each of its lines (trimmed) and the whole value;
 * - any other value gives itself.
 */
export function maskTargets(value: string, options: MaskOptions = {}): string[] {
  const out = new Set<string>();
  const add = (v: string) => {
    const structured = parseStructured(v);
    if (structured !== undefined) {
      for (const leaf of leaves(structured, new Set(options.publicKeys ?? []))) if (leaf.trim().length >= MIN_PART_LENGTH) add(leaf);
      return;
    }
    const lines = v.split(/\r\n|\r|\n/);
    if (lines.length === 1) {
      if (v.trim() !== '') out.add(v);
      return;
    }
    for (const line of lines) if (line.trim().length >= MIN_PART_LENGTH) out.add(line.trim());
    out.add(v);
  };
  add(value);
  return [...out];
}

/**
 * The `::add-mask::` lines that hide every value (see maskTargets), each once, escaped. They must
 * reach stdout before any of the values could.
 */
export function addMaskCommands(values: Iterable<string>, options: MaskOptions = {}): string {
  const targets = new Set<string>();
  for (const v of values) for (const t of maskTargets(v, options)) targets.add(t);
  return [...targets].map((t) => `::add-mask::${escapeData(t)}\n`).join('');
}

/**
 * A writer of mask commands that sends each line once: a value learnt twice (from the
 * environment, then from the configuration) is announced once.
 */
export function createMaskWriter(write: (text: string) => void): (value: string, options?: MaskOptions) => void {
  const written = new Set<string>();
  return (value, options) => {
    const fresh = addMaskCommands([value], options)
      .split('\n')
      .filter((line) => line !== '' && !written.has(line));
    if (fresh.length === 0) return;
    for (const line of fresh) written.add(line);
    write(`${fresh.join('\n')}\n`);
  };
}

/** A JSON object or array, or undefined for anything else (a plain string that happens to parse stays a string). */
function parseStructured(value: string): object | undefined {
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    const parsed: unknown = JSON.parse(t);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every string and number inside, depth first, leaving out the values of `publicKeys`. */
function leaves(node: object, publicKeys: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const visit = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'number' || typeof v === 'bigint') out.push(String(v));
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === 'object' && v !== null) for (const [k, child] of Object.entries(v)) if (!publicKeys.has(k)) visit(child);
  };
  visit(node);
  return out;
}
