#!/usr/bin/env node
// @ts-check
/**
 * Compiles the data files' JSON Schemas (each vendor's fixture schema, the scenario file schema) to code with
 * Ajv's standalone mode, into dist/schemas/validators.cjs, so that start-up does not compile them
 * (src/core/json-schema.ts uses them when a schema's hash matches). Part of `npm run build`, after tsc.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => pathToFileURL(path.join(root, 'dist', file)).href;
const { _ } = await import('ajv/dist/compile/codegen/index.js');
const standaloneCode = (await import('ajv/dist/standalone/index.js')).default;
const { dataFileAjv, schemaKey } = await import(dist('core/json-schema.js'));
const { isWebhookUrl } = await import(dist('core/webhook-url.js'));
const { scenarioFileSchema } = await import(dist('core/scenario-file.js'));
const { vendors } = await import(dist('vendors/index.js'));

const out = path.join(root, 'dist', 'schemas');
mkdirSync(out, { recursive: true });
// the formats the compiled code uses: ajv-formats' own, and the webhook URL check (a self-contained function)
writeFileSync(
  path.join(out, 'formats.cjs'),
  `"use strict";\nconst { fullFormats } = require("ajv-formats/dist/formats");\n` +
    `module.exports = { ...fullFormats, "webhook-url": { type: "string", validate: ${isWebhookUrl.toString()} } };\n`,
);
const ajv = dataFileAjv({ source: true, esm: false, formats: _`require("./formats.cjs")` });
const exports = {};
for (const schema of [scenarioFileSchema, ...vendors.map((vendor) => vendor.fixtureSchema)]) {
  const key = schemaKey(schema);
  ajv.addSchema(schema, key);
  exports[key] = key;
}
writeFileSync(path.join(out, 'validators.cjs'), standaloneCode(ajv, exports));
