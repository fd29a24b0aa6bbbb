import type { ActorNode } from '../../admin/runtimeView.ts';
import { fetchActorTree, reportFailure, resolveAdminUrl, resolveReadToken } from '../adminClient.ts';
import { EXIT_OK, type CliDeps } from '../cliDeps.ts';
import type { ActorsOptions } from '../commands/actors.ts';

export async function runActors(options: ActorsOptions, deps: CliDeps): Promise<number> {
  try {
    const tree = await fetchActorTree(resolveAdminUrl(options.url, deps.env), resolveReadToken(options.token, deps.env));
    deps.out(options.json ? JSON.stringify(tree, null, 2) : formatActorTree(tree));
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, deps);
  }
}

/** One line per actor, children indented under their supervisor. */
export function formatActorTree(root: ActorNode): string {
  const lines: string[] = [];
  const visit = (node: ActorNode, depth: number) => {
    const state = node.state === null || node.state === undefined ? '-' : typeof node.state === 'string' ? node.state : JSON.stringify(node.state);
    lines.push(`${'  '.repeat(depth)}${node.systemId} (${node.kind})  state=${state}  ${node.status}  restarts=${node.restarts}${formatDetails(node.details)}`);
    for (const child of Array.isArray(node.children) ? node.children : []) visit(child, depth + 1);
  };
  visit(root, 0);
  return lines.join('\n');
}

/** The scalar parts of an actor's own summary (gateway, client id, health), on the same line. */
function formatDetails(details: Record<string, unknown> | undefined): string {
  if (!details || typeof details !== 'object') return '';
  const parts = Object.entries(details)
    .filter(([, value]) => value !== null && ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key}=${String(value)}`);
  return parts.length > 0 ? `  ${parts.join(' ')}` : '';
}
