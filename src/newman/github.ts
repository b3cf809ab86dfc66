// GitHub Actions workflow commands (masks, annotations) and the job summary, built as strings so
// the runner decides where they go. Format: docs.github.com "Workflow commands for GitHub Actions".

/** Escaping of a command's data part, as @actions/core does (`%`, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a command property (`title=`), which also reserves `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::add-mask::` lines for every value (each line of a multi-line value separately, as the
 * runner masks line by line). They must reach stdout before any of the values could.
 */
export function maskCommands(values: Iterable<string>): string {
  const lines = new Set<string>();
  for (const v of values) for (const line of v.split(/\r?\n/)) if (line.trim() !== '') lines.add(line);
  return [...lines].map((l) => `::add-mask::${escapeData(l)}\n`).join('');
}

/** An error annotation; `message` must already be redacted. */
export function errorAnnotation(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}\n`;
}

/** Text safe inside a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
