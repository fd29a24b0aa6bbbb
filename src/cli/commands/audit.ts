import type { Command } from 'commander';
import type { ExportFlags, RetentionFlags, VerifyFlags } from '../actions/audit.ts';
import { processCliDeps, type CliDeps } from '../cliDeps.ts';
import { describeOption, describeWhenUsed } from '../describeWhenUsed.ts';
import { DEFAULT_REDIS_URL, withNamespaceOption } from '../options.ts';

const auditActions = () => import('../actions/audit.ts');

/** `tradewire audit verify|export|retention`: the order audit trail for compliance. */
export function registerAuditCommand(program: Command, deps: CliDeps = processCliDeps()): void {
  const audit = program.command('audit').description('verify, export and check retention of the order audit trail (CFTC 1.35, 1.31; NFA 2-10)');
  const common = (command: Command): Command =>
    withNamespaceOption(
      command
        .option('--redis-url <url>', `Redis URL (default: $REDIS_URL or ${DEFAULT_REDIS_URL})`)
        .option('--key <stream>', "the audit trail's full stream key (default: the config's audit.streamKey under the namespace, e.g. tradewire:audit:orders)"),
    );

  common(audit.command('verify').description('recompute the hash chain; name any changed, removed or reordered record and any discontinuity (exit 0 clean, 1 tampered or discontinuous, 2 bad input)'))
    .option('--from <time>', 'first record time: ISO-8601 with zone, YYYY-MM-DD (UTC) or epoch ms')
    .option('--to <time>', 'last record time (inclusive): ISO-8601 with zone, YYYY-MM-DD (UTC, whole day) or epoch ms')
    .option('--json', 'print the report as JSON')
    .action(async (flags: VerifyFlags) => deps.setExitCode(await (await auditActions()).runAuditVerify(flags, deps)));

  const exportCommand = common(audit.command('export').description('write the records in a time range for an examiner'))
    .requiredOption('--from <time>', 'first record time: ISO-8601 with zone, YYYY-MM-DD (UTC) or epoch ms')
    .requiredOption('--to <time>', 'last record time (inclusive)')
    .requiredOption('--format <format>')
    .option('--out <file>', 'write to this file (atomically: a temp file renamed into place); default stdout')
    .action(async (flags: ExportFlags) => deps.setExitCode(await (await auditActions()).runAuditExport(flags, deps)));

  common(audit.command('retention').description('how old the trail is against the retention policy (5 years, 2 readily accessible)'))
    .option('--retention-years <n>', 'retention period, at least 5', '5')
    .option('--readily-accessible-years <n>', 'readily accessible period, at least 2', '2')
    .option('--json', 'print the status as JSON')
    .action(async (flags: RetentionFlags) => deps.setExitCode(await (await auditActions()).runAuditRetention(flags, deps)));

  describeWhenUsed(audit, async () => {
    const { EXPORT_FORMATS } = await import('../../audit/exportAudit.ts');
    describeOption(exportCommand, '--format', EXPORT_FORMATS.join(' or '));
  });
}
