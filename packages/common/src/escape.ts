// Escaping text for HTML and XML, in one place: the emulator's pages, the HTML report, and the
// redactor (which must recognise a secret in the form each reporter escapes it in) all use these.

type Entities = Readonly<Record<string, string>>;

const HTML: Entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const XML: Entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Handlebars' escapeExpression (htmlextra's templates): also ` and =, and ' as &#x27;. */
const HANDLEBARS: Entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };

function escaper(entities: Entities): (text: string) => string {
  const pattern = new RegExp(`[${Object.keys(entities).join('')}]`, 'g');
  return (text) => text.replace(pattern, (c) => entities[c]!);
}

/** Text safe in HTML element content and quoted attribute values. */
export const escapeHtml = escaper(HTML);
/** Text safe in XML element content and quoted attribute values (XML 1.0 predefined entities). */
export const escapeXml = escaper(XML);
/** Text as a Handlebars template ({{value}}) writes it. */
export const escapeHandlebars = escaper(HANDLEBARS);
