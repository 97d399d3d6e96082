/**
 * `GET /`: where everything is — each vendor's base URL, the inspector, the admin API, the sink and where the
 * demo credentials are. A small HTML page for a browser (`Accept: text/html`), JSON for anything else.
 */
import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import Negotiator from 'negotiator';
import { CREDENTIALS_DOC, entryPoints } from '../core/entry-points.js';
import type { AdminAccess, EntryPoint, EntryPointOptions } from '../core/entry-points.js';
import { packageVersion } from '../version.js';

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1d2733}
h1 small{font-weight:normal;color:#5b6875}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e3e7eb;vertical-align:top}
code{font:13px ui-monospace,monospace;overflow-wrap:anywhere}td.note{color:#5b6875}`;

/** Nothing but this page's own style sheet: no script, no other origin, no framing. */
const CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The origin the client used (its Host header), else the address it reached. */
function originOf(req: Request): string {
  const host = req.headers.host;
  if (host !== undefined && /^[\w.-]+(:\d+)?$|^\[[0-9a-f:.]+\](:\d+)?$/i.test(host)) return `http://${host}`;
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `http://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 80}`;
}

function row(entry: EntryPoint): string {
  const url = escapeHtml(entry.url);
  const link =
    entry.name === 'inspector' ? `<a href="${url}"><code>${url}</code></a>` : `<code>${url}</code>`;
  return `<tr><th scope="row">${escapeHtml(entry.label)}</th><td>${link}</td><td class="note">${escapeHtml(entry.note)}</td></tr>`;
}

function html(entries: EntryPoint[], origin: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>vendor-webhook-mock</title><link rel="icon" href="/__inspector/favicon.svg"><style>${STYLE}</style></head>
<body><main>
<h1>vendor-webhook-mock <small>${escapeHtml(packageVersion)}</small></h1>
<p>A mock of the ConductorOne, Shodai and SuperOffice webhook APIs that really delivers signed test events.</p>
<table><tbody>
${entries.map(row).join('\n')}
</tbody></table>
<p>Demo credentials: ${escapeHtml(CREDENTIALS_DOC)}. The same as JSON:
<code>curl ${escapeHtml(origin)}/</code></p>
</main></body></html>
`;
}

function json(entries: EntryPoint[]): object {
  return {
    name: 'vendor-webhook-mock',
    version: packageVersion,
    urls: Object.fromEntries(entries.map((entry) => [entry.name, entry.url])),
    entryPoints: entries,
    credentials: CREDENTIALS_DOC,
  };
}

/** The handler for `GET /`; `admin` says whether the admin API answers (the server's settings). */
export function createHomePage(
  vendors: readonly { module: EntryPointOptions['vendors'][number] }[],
  admin: { token?: string; refused: boolean },
): RequestHandler {
  const access: AdminAccess = admin.refused ? 'refused' : admin.token === undefined ? 'open' : 'token';
  const options: EntryPointOptions = { vendors: vendors.map(({ module }) => module), admin: access };
  return (req, res) => {
    const origin = originOf(req);
    const entries = entryPoints(origin, options);
    const type = new Negotiator(req).mediaType(['application/json', 'text/html']);
    res.setHeader('vary', 'Accept');
    if (type === 'text/html') {
      res.setHeader('content-security-policy', CSP);
      res.type('html').send(html(entries, origin));
      return;
    }
    res.type('json').send(`${JSON.stringify(json(entries), null, 2)}\n`);
  };
}
