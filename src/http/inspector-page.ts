import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import type { Router } from 'express';
import { packagePath } from '../core/package-root.js';

/** The page's files: `inspector/` at the package root (beside dist/, shipped in the package and the image). */
export const inspectorDir = packagePath('inspector');

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/inspector.js': { file: 'inspector.js', type: 'text/javascript; charset=utf-8' },
  '/dom.js': { file: 'dom.js', type: 'text/javascript; charset=utf-8' },
  '/verdict.js': { file: 'verdict.js', type: 'text/javascript; charset=utf-8' },
  '/trigger-form.js': { file: 'trigger-form.js', type: 'text/javascript; charset=utf-8' },
  '/attempts.js': { file: 'attempts.js', type: 'text/javascript; charset=utf-8' },
  '/clock-panel.js': { file: 'clock-panel.js', type: 'text/javascript; charset=utf-8' },
  '/inspector.css': { file: 'inspector.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/**
 * Everything from the page's own origin, nothing inline, nothing framed: what the page shows comes from
 * untrusted bodies, and it only ever puts them in the DOM as text.
 */
export const INSPECTOR_CSP =
  "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/**
 * The web inspector at /__inspector: a static page (HTML, vanilla JS, CSS) that uses only the admin API. It
 * needs no credentials itself; the admin API asks for the admin token when one is set.
 */
export function createInspectorRouter(): Router {
  const router = express.Router();
  router.get(/.*/, async (req, res, next) => {
    if (req.originalUrl.split('?')[0] === req.baseUrl) {
      // relative links need the trailing slash
      res.redirect(301, `${req.baseUrl}/`);
      return;
    }
    const entry = FILES[req.path];
    if (entry === undefined) {
      next();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(path.join(inspectorDir, entry.file));
    } catch (error) {
      next(error);
      return;
    }
    res.writeHead(200, {
      'content-type': entry.type,
      'content-length': String(body.length),
      'content-security-policy': INSPECTOR_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    res.end(body);
  });
  return router;
}
