/** Field-rule problems in the words of a node's catalog, for the nodes' runtime side. */
import type { NodeAPI } from 'node-red';
import { RuleError, RuleProblem, describeProblem } from '../src/field-rules';

/** The first problem the checks found, as the sentence the edit dialog shows for it; undefined when all pass. */
export function firstProblem(RED: NodeAPI, catalog: string, problems: Array<RuleProblem | undefined>): string | undefined {
  const problem = problems.find((p) => p !== undefined);
  return problem ? describeProblem(problem, catalog, (key, params) => RED._(key, params)) : undefined;
}

/** A RuleError in the node's words; any other error as it is. */
export function inWords(RED: NodeAPI, catalog: string, error: unknown): Error {
  if (error instanceof RuleError) return new Error(firstProblem(RED, catalog, [error.problem]));
  return error instanceof Error ? error : new Error(String(error));
}
