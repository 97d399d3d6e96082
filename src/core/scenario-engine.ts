import type { VendorName } from './vendor-module.js';
import { ownValue } from './safe-object.js';
import type { Scenario, ScenarioRule, ScenarioStep } from './scenario-file.js';

/** The facts about one call that scenario rules match on. */
export interface ScenarioCall {
  vendor: VendorName;
  operationId: string;
  webhookId?: string;
  credential?: string;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** What a rule decided for one call. */
export interface ScenarioDecision {
  scenario: string;
  step: ScenarioStep;
}

export interface ScenarioSummary {
  name: string;
  description: string;
  active: boolean;
  rules: number;
  file: string;
}

function valueAt(body: unknown, dotPath: string): unknown {
  let current: unknown = body;
  for (const key of dotPath.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = ownValue(current, key);
  }
  return current;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function matches(rule: ScenarioRule, call: ScenarioCall): boolean {
  if (rule.vendor !== call.vendor || rule.operation !== call.operationId) return false;
  const { webhook, credential, headers, body } = rule.match;
  if (webhook !== undefined && webhook !== call.webhookId) return false;
  if (credential !== undefined && credential !== call.credential) return false;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (call.headers[name.toLowerCase()] !== value) return false;
  }
  for (const [dotPath, value] of Object.entries(body ?? {})) {
    if (!sameValue(valueAt(call.body, dotPath), value)) return false;
  }
  return true;
}

/**
 * Which scenarios are active and how far each rule has got. Rules are tried in order: scenarios named for one
 * call first, then the active ones in the order they were switched on; the first rule that matches and is not
 * used up decides.
 */
export class ScenarioEngine {
  private scenarios = new Map<string, Scenario>();
  private active: string[] = [];
  private readonly uses = new Map<string, number>();

  constructor(
    scenarios: Scenario[],
    private readonly initiallyActive: string[] = [],
  ) {
    this.replace(scenarios);
    this.setActive(initiallyActive);
  }

  has(name: string): boolean {
    return this.scenarios.has(name);
  }

  /** Names among `names` that no loaded scenario has. */
  unknown(names: string[]): string[] {
    return names.filter((name) => !this.scenarios.has(name));
  }

  list(): ScenarioSummary[] {
    return [...this.scenarios.values()].map((scenario) => ({
      name: scenario.name,
      description: scenario.description,
      active: this.active.includes(scenario.name),
      rules: scenario.rules.length,
      file: scenario.file,
    }));
  }

  activeNames(): string[] {
    return [...this.active];
  }

  /** Switches scenarios on (with fresh counters) or off. Unknown names throw before anything changes. */
  activate(names: string[]): void {
    this.assertKnown(names);
    for (const name of names) {
      this.clearUses(name);
      if (!this.active.includes(name)) this.active.push(name);
    }
  }

  deactivate(names: string[]): void {
    this.assertKnown(names);
    this.active = this.active.filter((name) => !names.includes(name));
  }

  setActive(names: string[]): void {
    this.assertKnown(names);
    this.active = [];
    this.activate(names);
  }

  /** Back to the scenarios active at start, all counters at zero. */
  reset(): void {
    this.uses.clear();
    this.active = this.initiallyActive.filter((name) => this.scenarios.has(name));
  }

  /** New scenario definitions (a reload): active ones that still exist stay active, counters restart. */
  replace(scenarios: Scenario[]): void {
    this.scenarios = new Map(scenarios.map((scenario) => [scenario.name, scenario]));
    this.active = this.active.filter((name) => this.scenarios.has(name));
    this.uses.clear();
  }

  /** The step for this call, if a rule takes it; the rule's counter moves on. */
  decide(call: ScenarioCall, forThisCall: string[] = []): ScenarioDecision | undefined {
    const order = [...forThisCall, ...this.active.filter((name) => !forThisCall.includes(name))];
    for (const name of order) {
      const scenario = this.scenarios.get(name);
      if (scenario === undefined) continue;
      for (const [index, rule] of scenario.rules.entries()) {
        if (!matches(rule, call)) continue;
        const key = `${name}#${index}`;
        const used = this.uses.get(key) ?? 0;
        const limit = rule.isSequence ? rule.steps.length : (rule.times ?? Infinity);
        if (used >= limit) continue;
        this.uses.set(key, used + 1);
        const step = rule.isSequence ? rule.steps[used] : rule.steps[0];
        return { scenario: name, step: step ?? {} };
      }
    }
    return undefined;
  }

  private clearUses(name: string): void {
    for (const key of [...this.uses.keys()]) if (key.startsWith(`${name}#`)) this.uses.delete(key);
  }

  private assertKnown(names: string[]): void {
    const unknown = this.unknown(names);
    if (unknown.length > 0) {
      throw new UnknownScenarioError(unknown, [...this.scenarios.keys()]);
    }
  }
}

export class UnknownScenarioError extends Error {
  constructor(
    readonly names: string[],
    readonly known: string[],
  ) {
    super(
      `unknown scenario ${names.map((name) => `"${name}"`).join(', ')} (known: ${known.join(', ') || 'none'})`,
    );
    this.name = 'UnknownScenarioError';
  }
}
