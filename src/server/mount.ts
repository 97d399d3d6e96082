/**
 * Mounting the vendors: each vendor's spec read and compiled (routes, validators, the operation catalogue),
 * its handlers checked against the spec, its fixture loaded and its state started.
 */
import path from 'node:path';
import { checkFixturesFolder, fillPlaceholders, loadFixtureFile } from '../core/fixtures.js';
import type { FixturePlaceholders } from '../core/fixtures.js';
import { OperationCatalog } from '../core/operation-catalog.js';
import { loadScenarioDir } from '../core/scenario-file.js';
import type { Scenario } from '../core/scenario-file.js';
import { readSpec } from '../core/spec-document.js';
import type { VendorContext } from '../core/vendor-module.js';
import type { VendorModule } from '../core/vendor-runtime.js';
import { RouteTable } from '../pipeline/routes.js';
import type { MountedVendor } from '../pipeline/types.js';
import { RequestValidators } from '../pipeline/validate.js';
import { builtInScenariosDir } from './options.js';

/** A vendor's spec, compiled for the pipeline; the state comes when the vendor starts. */
export type CompiledVendor = Omit<MountedVendor, 'runtime'>;

/**
 * Reads and compiles a vendor's spec. A handler for an operation the spec does not have stops start-up; an
 * operation without a handler is answered 501 in the vendor's format.
 */
export function compileVendor(module: VendorModule): CompiledVendor {
  const document = readSpec(module.specFile);
  const routes = new RouteTable(document);
  const unknown = module.operationIds.filter((operationId) => routes.find(operationId) === undefined);
  if (unknown.length > 0) {
    throw new Error(
      `${module.title}: handlers for operations its spec (${path.basename(module.specFile)}) does not have: ${unknown.join(', ')}`,
    );
  }
  return {
    module,
    routes,
    validators: new RequestValidators(document),
    catalog: new OperationCatalog(document),
  };
}

/** Each vendor's fixture file, read and checked, with `{{sinkUrl}}` and `{{publicUrl}}` filled in. */
export async function loadFixtures(
  vendors: readonly VendorModule[],
  fixturesDir: string,
  placeholders?: FixturePlaceholders,
): Promise<unknown[]> {
  await checkFixturesFolder(
    fixturesDir,
    vendors.map((vendor) => vendor.fixtureFile),
  );
  const fixtures = await Promise.all(vendors.map((vendor) => loadFixtureFile(fixturesDir, vendor)));
  return placeholders === undefined
    ? fixtures
    : fixtures.map((fixture) => fillPlaceholders(fixture, placeholders));
}

/** Built-in scenarios plus those in `<fixtures>/scenarios`; a same-named one in the fixtures folder wins. */
export async function loadScenarios(
  compiled: readonly CompiledVendor[],
  fixturesDir: string,
): Promise<Scenario[]> {
  const catalogs = new Map(compiled.map(({ module, catalog }) => [module.name, catalog]));
  const negativeKinds = new Map(compiled.map(({ module }) => [module.name, module.negativeKinds]));
  const builtIn = await loadScenarioDir(builtInScenariosDir, catalogs, negativeKinds);
  const ownDir = path.join(fixturesDir, 'scenarios');
  if (path.resolve(ownDir) === path.resolve(builtInScenariosDir)) return builtIn;
  const own = await loadScenarioDir(ownDir, catalogs, negativeKinds);
  const ownNames = new Set(own.map((scenario) => scenario.name));
  return [...builtIn.filter((scenario) => !ownNames.has(scenario.name)), ...own];
}

/** Starts each compiled vendor on its fixture. */
export async function startVendors(
  compiled: readonly CompiledVendor[],
  fixtures: readonly unknown[],
  contextFor: (module: VendorModule, validators: RequestValidators) => VendorContext,
): Promise<MountedVendor[]> {
  return Promise.all(
    compiled.map(async (vendor, index) => ({
      ...vendor,
      runtime: await vendor.module.start(fixtures[index], contextFor(vendor.module, vendor.validators)),
    })),
  );
}
