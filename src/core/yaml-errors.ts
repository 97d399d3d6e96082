import type { YAMLError } from 'yaml';

/** Where a YAML document first fails to parse, and why (the parser's reason without its code frame). */
export interface YamlSyntaxProblem {
  line: number;
  column: number;
  reason: string;
}

/**
 * The first syntax error of a document parsed with `prettyErrors`: later ones mostly follow from it (one missing
 * bracket gives a dozen), so only the first is worth reading.
 */
export function firstYamlError(errors: readonly YAMLError[]): YamlSyntaxProblem | undefined {
  const error = errors[0];
  if (error === undefined) return undefined;
  const [start] = error.linePos ?? [];
  const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
  return { line: start?.line ?? 1, column: start?.col ?? 1, reason };
}

/** `file:line:column: YAML syntax error: reason`, the form editors and terminals turn into a link. */
export function describeYamlError(file: string, problem: YamlSyntaxProblem): string {
  return `${file}:${problem.line}:${problem.column}: YAML syntax error: ${problem.reason}`;
}
