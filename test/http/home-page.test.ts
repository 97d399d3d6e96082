/**
 * `GET /`: the entry points (vendor base URLs, inspector, admin API, sink) and where the demo credentials are —
 * a small HTML page for a browser, JSON for anything else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import supertest from 'supertest';
import { startMockServer } from '../../src/server/index.js';
import type { MockServer } from '../../src/server/index.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface HomeJson {
  name: string;
  version: string;
  urls: Record<string, string>;
  entryPoints: { name: string; label: string; url: string; note: string }[];
  credentials: string;
}

describe('GET /', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer({ port: 0 });
  });
  after(() => server.close());

  it('answers JSON to curl (Accept: */*) with every entry point below the origin it was called on', async () => {
    const res = await supertest(server.url).get('/').set('Accept', '*/*').expect(200);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.match(res.headers.vary ?? '', /Accept/);
    const body = res.body as HomeJson;
    assert.equal(body.name, 'vendor-webhook-mock');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.deepEqual(body.urls, {
      c1: `${server.url}/c1`,
      shodai: `${server.url}/shodai`,
      superoffice: `${server.url}/superoffice`,
      inspector: `${server.url}/__inspector/`,
      admin: `${server.url}/__admin`,
      sink: `${server.url}/__sink/{name}`,
    });
    assert.match(body.credentials, /README\.md, "Demo credentials and webhooks"/);
  });

  it('uses the host name the client called', async () => {
    const port = new URL(server.url).port;
    const res = await fetch(`http://localhost:${port}/`);
    const body = (await res.json()) as HomeJson;
    assert.equal(body.urls.inspector, `http://localhost:${port}/__inspector/`);
  });

  it('answers a small HTML page to a browser, with a link to the inspector and no script', async () => {
    const res = await supertest(server.url).get('/').set('Accept', BROWSER_ACCEPT).expect(200);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
    const csp = res.headers['content-security-policy'] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src|unsafe-inline/);
    assert.ok(res.text.includes(`<a href="${server.url}/__inspector/">`), res.text);
    for (const text of [`${server.url}/c1`, `${server.url}/__admin`, 'Demo credentials and webhooks'])
      assert.ok(res.text.includes(text), text);
    assert.doesNotMatch(res.text, /<script/i);
  });

  it('refuses a Host header that is no host name it serves, without reflecting it as markup', async () => {
    const res = await supertest(server.url)
      .get('/')
      .set('Host', 'x"><script>alert(1)</script>')
      .set('Accept', BROWSER_ACCEPT)
      .expect(403);
    assert.match(res.headers['content-type'] ?? '', /problem\+json/);
    assert.doesNotMatch(res.headers['content-type'] ?? '', /html/);
  });

  it('leaves other paths to the 404 they had', async () => {
    await supertest(server.url).get('/nothing-here').expect(404);
  });
});

describe('GET / with an admin token, and bound beyond loopback without one', () => {
  it('says the admin API needs the token', async () => {
    const server = await startMockServer({ port: 0, adminToken: 'secret' });
    try {
      const body = (await supertest(server.url).get('/').expect(200)).body as HomeJson;
      const admin = body.entryPoints.find((entry) => entry.name === 'admin');
      assert.match(admin?.note ?? '', /Authorization: Bearer <admin token>/);
      assert.doesNotMatch(JSON.stringify(body), /secret/);
    } finally {
      await server.close();
    }
  });

  it('says the admin API is off', async () => {
    const server = await startMockServer({ port: 0, host: '0.0.0.0' });
    try {
      const body = (await supertest(server.localUrl).get('/').expect(200)).body as HomeJson;
      const admin = body.entryPoints.find((entry) => entry.name === 'admin');
      assert.match(admin?.note ?? '', /^off: /);
    } finally {
      await server.close();
    }
  });
});
