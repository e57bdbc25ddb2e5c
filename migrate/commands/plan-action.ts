import type { CommandContext } from './command-module.ts';
import { connect } from '../mysql/connect.ts';
import { planDatabase } from '../operations/plan-database.ts';
import { formatBytes, formatSeconds } from '../progress/rates.ts';
import { textTable } from '../report/text-table.ts';
import { resolveDatabaseUrl, type TableSelectionOptions } from './shared-options.ts';

export interface PlanOptions extends TableSelectionOptions {
  source: string;
  chunkRows: number;
  json?: boolean;
}

/** Runs `bin/migrate plan` (loaded only when that command is chosen, to keep start-up fast). */
export async function runPlan(options: PlanOptions, context: CommandContext): Promise<void> {
  const source = resolveDatabaseUrl(options.source, '--source');
  const connection = await connect(source.endpoint);
  let plan;
  try {
    plan = await planDatabase(connection, {
      source: source.endpoint,
      database: source.database,
      include: options.tables ?? [],
      exclude: options.exclude ?? [],
      chunkRows: options.chunkRows,
    });
  } finally {
    await connection.end().catch(() => undefined);
  }
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ type: 'report', command: 'plan', ...plan })}\n`);
    return;
  }
  const lines = [
    `plan for ${plan.source}: ${plan.server}, ${plan.charset}/${plan.collation}, binlog ${plan.binlog}`,
    textTable(
      ['table', 'engine', 'rows (est.)', 'data', 'indexes', 'chunks'],
      plan.tables.map((table) => [table.name, table.engine, table.rowsEstimate, formatBytes(table.dataBytes), formatBytes(table.indexBytes), table.chunks]),
    ),
    ...plan.tables.flatMap((table) => table.notes.map((note) => `attention ${table.name}: ${note}`)),
    ...plan.objects.map((object) => `${object.kind} ${object.name}: ${object.note}`),
    `total ${plan.totals.rows.toLocaleString('en-US')} rows, ${formatBytes(plan.totals.bytes)}; estimated copy + verify ${formatSeconds(plan.estimatedSeconds)} (rough: measured on a 2-core machine)`,
  ];
  context.stdout.write(`${lines.join('\n')}\n`);
}
