export interface ConfigIssue {
  /** Dotted key path, e.g. `admin.port`; empty for the whole document. */
  path: string;
  problem: string;
  /** Where the value came from, e.g. `file config/local.json` or `environment variable REDIS_URL`. */
  source: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map(formatIssue).join('\n')}`);
  }
}

function formatIssue(issue: ConfigIssue): string {
  const where = issue.path === '' ? '(root)' : issue.path;
  return `  - ${where}: ${issue.problem} (from ${issue.source})`;
}
