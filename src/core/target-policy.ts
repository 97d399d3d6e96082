/**
 * Where deliveries may go (`--allow-targets`): host patterns such as `*.example.com`, `localhost`,
 * `127.0.0.1:*` or `[::1]:8080`. A pattern without a port allows the scheme's default port only (80 for http,
 * 443 for https); `:*` allows any port. `*.example.com` matches every name below example.com (not example.com
 * itself); `*` alone matches every host. Names are compared as written in the URL: no DNS look-up happens here.
 */
export interface TargetPolicy {
  /** The patterns as given, for messages. */
  readonly patterns: readonly string[];
  /** Undefined when the URL may be delivered to; otherwise why not. */
  refusal(url: URL): string | undefined;
}

interface HostPattern {
  host: string;
  /** `*.example.com` → `.example.com`; undefined for an exact host. */
  suffix?: string;
  any: boolean;
  /** undefined: the scheme's default port; '*': any port. */
  port?: string;
}

function parsePattern(raw: string): HostPattern {
  const text = raw.trim().toLowerCase();
  let host: string;
  let port: string | undefined;
  const bracketed = /^(\[[^\]]+\])(?::(\d+|\*))?$/.exec(text);
  const plain = /^([^:]+)(?::(\d+|\*))?$/.exec(text);
  if (bracketed !== null) {
    host = bracketed[1]!;
    port = bracketed[2];
  } else if (plain !== null) {
    host = plain[1]!;
    port = plain[2];
  } else {
    throw new RangeError(`invalid target pattern "${raw}" (expected host, *.domain, host:port or host:*)`);
  }
  if (host === '') throw new RangeError(`invalid target pattern "${raw}"`);
  const pattern: HostPattern = { host, any: host === '*' };
  if (host.startsWith('*.')) pattern.suffix = host.slice(1);
  else if (host.includes('*') && host !== '*')
    throw new RangeError(`invalid target pattern "${raw}" (a wildcard may only start the name: *.domain)`);
  if (port !== undefined) pattern.port = port;
  return pattern;
}

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' };

function matches(pattern: HostPattern, url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const hostOk =
    pattern.any || (pattern.suffix !== undefined ? host.endsWith(pattern.suffix) : host === pattern.host);
  if (!hostOk) return false;
  const port = url.port === '' ? defaultPorts[url.protocol] : url.port;
  if (pattern.port === '*') return true;
  return port === (pattern.port ?? defaultPorts[url.protocol]);
}

/** Compiles host patterns; throws a RangeError for a pattern that cannot be read. */
export function targetPolicy(patterns: readonly string[]): TargetPolicy {
  const compiled = patterns.filter((pattern) => pattern.trim() !== '').map(parsePattern);
  return {
    patterns,
    refusal(url) {
      if (compiled.some((pattern) => matches(pattern, url))) return undefined;
      return `delivery target ${url.host} is not allowed (allowed targets: ${patterns.join(', ')})`;
    },
  };
}

/** `a.example.com, localhost:*` → the patterns (from the CLI or the environment). */
export function splitTargetPatterns(value: string): string[] {
  return value
    .split(',')
    .map((pattern) => pattern.trim())
    .filter(Boolean);
}
