// The one escaping module: HTML for our pages and report, XML's predefined entities, and the form
// Handlebars (htmlextra's templates) writes, which the redactor must recognise a secret in.
import { test, expect } from '@playwright/test';
import { escapeHandlebars, escapeHtml, escapeXml } from '../../packages/common/src/escape.js';

const ALL = `a&b<c>d"e'f\`g=h`;

test('each escaper replaces its characters, every occurrence, and leaves the rest', () => {
  expect(escapeHtml(ALL + ALL)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f`g=h'.repeat(2));
  expect(escapeXml(ALL)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f`g=h');
  expect(escapeHandlebars(ALL)).toBe('a&amp;b&lt;c&gt;d&quot;e&#x27;f&#x60;g&#x3D;h');
  expect(escapeHtml('plain text, ünïcode')).toBe('plain text, ünïcode');
});
