/**
 * The README's container examples, parsed: every block marked `<!-- container-example: NAME -->` right before
 * its code fence. The container test runs these (not copies of them), so a changed README example is what the
 * test exercises, and an example the parsers here cannot read fails the test instead of being skipped.
 */
import { parse as parseYaml } from 'yaml';

export interface Example {
  name: string;
  lang: string;
  body: string;
}

/** The marked blocks, by name (a name used twice is an error). */
export function containerExamples(readme: string): Map<string, Example> {
  const examples = new Map<string, Example>();
  const pattern = /<!-- container-example: ([\w-]+) -->\s*```(\w*)\n([\s\S]*?)```/g;
  for (const match of readme.matchAll(pattern)) {
    const [, name, lang, body] = match as unknown as [string, string, string, string];
    if (examples.has(name)) throw new Error(`README: container example "${name}" is marked twice`);
    examples.set(name, { name, lang, body });
  }
  return examples;
}

/**
 * Splits one shell command line into words: single and double quotes, backslash escapes and `\`-newline
 * continuations; no expansion (`$PWD` stays as written). Stops at an unquoted `#` comment, `;`, `&&` or `|`.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const src = line.replace(/\\\n/g, ' ');
  while (i < src.length) {
    const c = src[i]!;
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in: ${line}`);
      word += src.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length && '"\\$`'.includes(src[i + 1]!)) i++;
        word += src[i];
        i++;
      }
      if (i >= src.length) throw new Error(`unterminated " in: ${line}`);
      inWord = true;
      i++;
    } else if (c === '\\' && i + 1 < src.length) {
      word += src[i + 1];
      inWord = true;
      i += 2;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (!inWord && (c === '#' || c === ';' || c === '|' || c === '&')) {
      break;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The words after `docker <sub>` in a shell example (exactly one such command). */
export function dockerCommand(script: string, sub: string): string[] {
  const lines = script
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => shellWords(line))
    .filter((words) => words[0] === 'docker' && words[1] === sub);
  if (lines.length !== 1) throw new Error(`expected one "docker ${sub}" command, found ${lines.length}`);
  return lines[0]!.slice(2);
}

export interface DockerBuild {
  tag: string;
  context: string;
  file?: string;
  buildArgs: string[];
}

export function parseDockerBuild(words: string[]): DockerBuild {
  let tag: string | undefined;
  let file: string | undefined;
  const buildArgs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const value = (): string => {
      const v = words[++i];
      if (v === undefined) throw new Error(`docker build ${w}: value missing`);
      return v;
    };
    if (w === '-t' || w === '--tag') tag = value();
    else if (w === '-f' || w === '--file') file = value();
    else if (w === '--build-arg') buildArgs.push(value());
    else if (w.startsWith('-'))
      throw new Error(`docker build flag ${w} is not handled by the container test`);
    else rest.push(w);
  }
  if (!tag) throw new Error('docker build: no -t');
  if (rest.length !== 1) throw new Error(`docker build: expected one context, got ${JSON.stringify(rest)}`);
  return { tag, context: rest[0]!, ...(file ? { file } : {}), buildArgs };
}

export interface Volume {
  host: string;
  container: string;
  options: string[];
}

export interface PortMapping {
  host: number;
  container: number;
}

export interface DockerRun {
  image: string;
  args: string[];
  env: [string, string][];
  volumes: Volume[];
  publish: PortMapping[];
  addHosts: string[];
  network?: string;
}

export function parseVolume(spec: string): Volume {
  const [host, container, opts] = spec.split(':');
  if (!host || !container) throw new Error(`volume ${spec}: expected host:container[:options]`);
  return { host, container, options: opts ? opts.split(',') : [] };
}

export function parsePort(spec: string | number): PortMapping {
  const parts = String(spec).split(':');
  const container = Number(parts[parts.length - 1]!.replace(/\/tcp$/, ''));
  const host = parts.length >= 2 ? Number(parts[parts.length - 2]) : container;
  if (!Number.isInteger(container) || !Number.isInteger(host)) throw new Error(`port mapping ${spec}?`);
  return { host, container };
}

function splitEnv(kv: string): [string, string] {
  const eq = kv.indexOf('=');
  if (eq <= 0) throw new Error(`env ${kv}: expected NAME=value (passing a variable through is not handled)`);
  return [kv.slice(0, eq), kv.slice(eq + 1)];
}

/** `docker run` flags the examples may use; any other flag fails, so it gets handled here first. */
export function parseDockerRun(words: string[]): DockerRun {
  const run: DockerRun = { image: '', args: [], env: [], volumes: [], publish: [], addHosts: [] };
  let i = 0;
  for (; i < words.length; i++) {
    let w = words[i]!;
    if (!w.startsWith('-')) break;
    let inline: string | undefined;
    const eq = w.indexOf('=');
    if (w.startsWith('--') && eq > 0) {
      inline = w.slice(eq + 1);
      w = w.slice(0, eq);
    }
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = words[++i];
      if (v === undefined) throw new Error(`docker run ${w}: value missing`);
      return v;
    };
    switch (w) {
      case '--rm':
      case '-d':
      case '--detach':
      case '-i':
      case '-t':
      case '-it':
      case '--init':
        break;
      case '-e':
      case '--env':
        run.env.push(splitEnv(value()));
        break;
      case '-v':
      case '--volume':
        run.volumes.push(parseVolume(value()));
        break;
      case '-p':
      case '--publish':
        run.publish.push(parsePort(value()));
        break;
      case '--add-host':
        run.addHosts.push(value());
        break;
      case '--network':
      case '--net':
        run.network = value();
        break;
      case '--name':
        value();
        break;
      default:
        throw new Error(`docker run flag ${w} is not handled by the container test`);
    }
  }
  const image = words[i];
  if (!image) throw new Error('docker run: no image');
  run.image = image;
  run.args = words.slice(i + 1);
  return run;
}

/** An image reference's name without registry, owner and tag: ghcr.io/acme/x:1 -> x. */
export function imageBaseName(ref: string): string {
  const last = ref.split('/').pop() ?? ref;
  return last.replace(/[:@].*$/, '');
}

export interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, unknown> | string[];
  env?: Record<string, unknown>;
  volumes?: (string | { type?: string; source?: string; target?: string; read_only?: boolean })[];
  ports?: (string | number)[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: unknown;
  options?: string;
}

/** A service's environment (compose `environment:` map or list, Actions `env:`) as ordered pairs. */
export function serviceEnv(service: ComposeService): [string, string][] {
  const env = service.environment ?? service.env ?? {};
  if (Array.isArray(env)) return env.map((kv) => splitEnv(String(kv)));
  return Object.entries(env).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]);
}

export function serviceVolumes(service: ComposeService): Volume[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v === 'string') return parseVolume(v);
    if (!v.source || !v.target) throw new Error(`volume ${JSON.stringify(v)}: source and target needed`);
    return { host: v.source, container: v.target, options: v.read_only ? ['ro'] : [] };
  });
}

export function dependsOn(service: ComposeService): Map<string, string | undefined> {
  const deps = service.depends_on ?? [];
  if (Array.isArray(deps)) return new Map(deps.map((d) => [d, undefined]));
  return new Map(Object.entries(deps).map(([name, d]) => [name, d?.condition]));
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function parseCompose(body: string): ComposeFile {
  const doc = parseYaml(body) as ComposeFile | null;
  if (!doc || typeof doc.services !== 'object') throw new Error('compose example: no services');
  return doc;
}

export interface ActionsWorkflow {
  jobs: Record<
    string,
    {
      services?: Record<string, ComposeService>;
      env?: Record<string, unknown>;
      steps?: { run?: string; uses?: string; env?: Record<string, unknown> }[];
    }
  >;
}

export function parseActions(body: string): ActionsWorkflow {
  const doc = parseYaml(body) as ActionsWorkflow | null;
  if (!doc || typeof doc.jobs !== 'object') throw new Error('GitHub Actions example: no jobs');
  return doc;
}

/** Every string inside a parsed YAML value (keys excluded). */
export function yamlStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(yamlStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(yamlStrings);
  return [];
}

/** The http(s) URLs in some strings whose host name is one of `hosts`. */
export function urlsTo(strings: string[], hosts: string[]): URL[] {
  const urls: URL[] = [];
  for (const s of strings) {
    for (const m of s.matchAll(/https?:\/\/[^\s'"`)]+/g)) {
      const url = new URL(m[0]);
      if (hosts.includes(url.hostname)) urls.push(url);
    }
  }
  return urls;
}
