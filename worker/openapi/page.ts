/**
 * The API reference page, rendered on the server from the OpenAPI document. It runs no
 * script and has no inline style, because the app's Content-Security-Policy allows
 * neither (worker/middleware/security-headers/policy.ts): its look comes from
 * DOCS_STYLESHEET, served from this origin, and schemas fold with `<details>`.
 */
import type { JsonSchema, OpenApiDocument, Operation, Parameter } from "./document";

/** Where the sub-app serves the stylesheet; the page links it from here. */
export const DOCS_STYLESHEET_PATH = "/api/docs/style.css";

export const DOCS_STYLESHEET =
  `\n` +
  `:root { color-scheme: light dark; --line: #8884; --muted: #777; ` +
  `font-family: system-ui, sans-serif; line-height: 1.5; }\n` +
  `body { margin: 0 auto; max-width: 60rem; padding: 1rem; }\n` +
  `nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; list-style: none; }\n` +
  `section.tag { border-top: 1px solid var(--line); margin-top: 2rem; }\n` +
  `article { border: 1px solid var(--line); border-radius: .5rem; margin: 1rem 0; padding: 0 1rem; }\n` +
  `h3 { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; font-size: 1.05rem; }\n` +
  `.method { border-radius: .25rem; color: #fff; font: bold .8rem monospace; padding: .1rem .4rem; ` +
  `text-transform: uppercase; }\n` +
  `.get { background: #1f6feb; } .post { background: #1a7f37; } .put { background: #9a6700; } ` +
  `.patch { background: #8250df; } .delete { background: #cf222e; }\n` +
  `.auth { color: var(--muted); font-size: .9rem; }\n` +
  `table { border-collapse: collapse; width: 100%; } ` +
  `th, td { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }\n` +
  `pre { background: #8881; border-radius: .25rem; overflow-x: auto; padding: .5rem; font-size: .85rem; }\n` +
  `summary { cursor: pointer; }\n`;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);

/** Inline code in descriptions (`like this`), the only markup they use. */
const prose = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

const slug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** A schema as indented JSON, with each reference to a component made a link to it. */
function schemaBlock(schema: JsonSchema): string {
  const text = escapeHtml(JSON.stringify(schema, null, 2));
  const linked = text.replace(
    /&quot;#\/components\/schemas\/(\w+)&quot;/g,
    (_all, name: string) => `<a href="#schema-${slug(name)}">&quot;#/components/schemas/${name}&quot;</a>`,
  );
  return `<pre>${linked}</pre>`;
}

function parameterTable(parameters: Parameter[]): string {
  if (parameters.length === 0) return "";
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}${p.required ? ", required" : ""}</td>` +
        `<td><code>${escapeHtml(JSON.stringify(p.schema))}</code></td><td>${prose(p.description ?? "")}</td></tr>`,
    )
    .join("");
  return (
    `<h4>Parameters</h4><table><thead><tr><th scope="col">Name</th><th scope="col">In</th>` +
    `<th scope="col">Schema</th><th scope="col">Meaning</th></tr></thead><tbody>${rows}</tbody></table>`
  );
}

function contentBlocks(content: Record<string, { schema?: JsonSchema }> | undefined): string {
  return Object.entries(content ?? {})
    .map(([type, media]) =>
      media.schema
        ? `<details><summary><code>${escapeHtml(type)}</code></summary>${schemaBlock(media.schema)}</details>`
        : `<p><code>${escapeHtml(type)}</code> bytes</p>`,
    )
    .join("");
}

function operationArticle(method: string, path: string, op: Operation): string {
  const id = slug(`${method} ${path}`);
  const body = op.requestBody
    ? `<h4>Request body</h4>${op.requestBody.description ? `<p>${prose(op.requestBody.description)}</p>` : ""}` +
      contentBlocks(op.requestBody.content)
    : "";
  const responses = Object.entries(op.responses)
    .map(
      ([status, res]) =>
        `<dt><strong>${escapeHtml(status)}</strong></dt>` +
        `<dd><p>${prose(res.description)}</p>${contentBlocks(res.content)}</dd>`,
    )
    .join("");
  return `<article aria-labelledby="${id}">
<h3 id="${id}"><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${prose(op.summary)}${op.description ? ` ${prose(op.description)}` : ""}</p>
<p class="auth">${op.security.length > 0 ? "Needs the session cookie." : "No session needed."}</p>
${parameterTable(op.parameters)}${body}
<h4>Responses</h4><dl>${responses}</dl>
</article>`;
}

/** The whole page: one section per tag, then the shared schemas. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const sections = doc.tags.map((tag) => {
    const articles = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).flatMap(([method, op]) =>
        op?.tags.includes(tag.name) ? [operationArticle(method, path, op)] : [],
      ),
    );
    const id = `tag-${slug(tag.name)}`;
    return (
      `<section class="tag" aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(tag.name)}</h2>` +
      `<p>${prose(tag.description)}</p>${articles.join("\n")}</section>`
    );
  });
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([name, schema]) =>
        `<article aria-labelledby="schema-${slug(name)}">` +
        `<h3 id="schema-${slug(name)}">${escapeHtml(name)}</h3>${schemaBlock(schema)}</article>`,
    )
    .join("\n");
  const nav = [
    ...doc.tags.map((t) => `<li><a href="#tag-${slug(t.name)}">${escapeHtml(t.name)}</a></li>`),
    `<li><a href="#schemas">Schemas</a></li>`,
  ].join("");
  return (
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} reference</title>
<link rel="stylesheet" href="${DOCS_STYLESHEET_PATH}">
</head>
<body>\n` +
    `<header><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>` +
    `<p>${prose(doc.info.description)}</p>\n` +
    `<p>Machine-readable: <a href="/api/openapi.json">OpenAPI 3.1 document</a>.</p></header>\n` +
    `<nav aria-label="Sections"><ul>${nav}</ul></nav>\n` +
    `<main>\n` +
    `${sections.join("\n")}\n` +
    `<section class="tag" aria-labelledby="schemas"><h2 id="schemas">Schemas</h2>${schemas}</section>\n` +
    `</main>\n` +
    `</body>\n` +
    `</html>`
  );
}
