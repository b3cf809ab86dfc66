// GitHub Actions workflow commands (annotations) and the job summary, built as strings so the
// runner decides where they go. Format: docs.github.com "Workflow commands for GitHub Actions".
// Mask commands are mask.ts's alone.
import { escapeData } from '../mask.js';

/** Escaping of a command property (`title=`), which also reserves `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** An error annotation; `message` must already be redacted. */
export function errorAnnotation(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}\n`;
}

/** Text safe inside a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
