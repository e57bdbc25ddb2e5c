import type mysql from 'mysql2/promise';
import { UsageError } from '../../errors.ts';
import { missingPrivileges, readDatabasePrivileges } from '../../mysql/privileges.ts';
import { tablesWithoutRowIdentity } from '../../mysql/row-identity.ts';

export interface PreconditionInput {
  readonly source: mysql.Connection;
  readonly target: mysql.Connection;
  readonly sourceDatabase: string;
  readonly targetDatabase: string;
  readonly stateSchema: string;
  /** The tables to copy. */
  readonly tables: readonly string[];
  /**
   * A binlog catch-up will follow (`db --follow`, and the cut-over): a table it could not apply
   * updates to is then an error; for a plain copy it is only a warning.
   */
  readonly follow: boolean;
  /** --overwrite drops target tables: DROP is needed too. */
  readonly overwrite?: boolean;
}

export interface PreconditionReport {
  /** Each one stops the run before anything is copied. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/** What the target user needs on the copied database and on the state schema. */
const TARGET_PRIVILEGES = ['CREATE', 'ALTER', 'INDEX', 'INSERT', 'SELECT'];
const STATE_PRIVILEGES = ['CREATE', 'INSERT', 'UPDATE', 'DELETE', 'SELECT'];

/**
 * The checks that can be made before anything is copied, each naming what is wrong and where: row
 * identity of every table, the users' privileges on both sides, LOAD DATA LOCAL INFILE on the target.
 * (The binlog's own preconditions, format, row image, retention and REPLICATION privileges, belong
 * to the catch-up, migrate/binlog/.)
 */
export async function checkPreconditions(input: PreconditionInput): Promise<PreconditionReport> {
  const errors: string[] = [];
  const warnings: string[] = [];

  const unidentified = await tablesWithoutRowIdentity(input.source, input.sourceDatabase, input.tables);
  if (unidentified.length > 0) {
    const what = `${plural(unidentified.length, 'table has', 'tables have')} no primary key and no unique key over NOT NULL columns: ${unidentified.join(', ')}`;
    if (input.follow) errors.push(`${what}; a catch-up cannot apply updates or deletes to them (add a primary key on the source, or leave them out with --exclude)`);
    else warnings.push(`${what}; a later catch-up (--follow) could not apply updates to them`);
  }

  const source = await readDatabasePrivileges(input.source, input.sourceDatabase);
  const unreadable = input.tables.filter((table) => missingPrivileges(source, ['SELECT'], table).length > 0);
  if (unreadable.length > 0) errors.push(`source user ${source.user} lacks SELECT on ${unreadable.map((table) => `${input.sourceDatabase}.${table}`).join(', ')}`);

  const target = await readDatabasePrivileges(input.target, input.targetDatabase);
  const missingOnTarget = missingPrivileges(target, input.overwrite ? [...TARGET_PRIVILEGES, 'DROP'] : TARGET_PRIVILEGES);
  if (missingOnTarget.length > 0) errors.push(`target user ${target.user} lacks ${missingOnTarget.join(', ')} on database ${input.targetDatabase}`);
  const state = await readDatabasePrivileges(input.target, input.stateSchema);
  const missingOnState = missingPrivileges(state, STATE_PRIVILEGES);
  if (missingOnState.length > 0) {
    errors.push(`target user ${state.user} lacks ${missingOnState.join(', ')} on database ${input.stateSchema} (the checkpoints; another with --state-schema)`);
  }

  const [[infile]] = (await input.target.query('SELECT @@GLOBAL.local_infile AS enabled')) as unknown as [{ enabled: number | string }[]];
  if (Number(infile!.enabled) !== 1) errors.push('the target refuses LOAD DATA LOCAL INFILE: set local_infile=1 (on RDS: in the DB parameter group)');

  return { errors, warnings };
}

/** Stops the run with every problem on one line (exit 2); returns the warnings. */
export function assertPreconditions(report: PreconditionReport): readonly string[] {
  if (report.errors.length > 0) throw new UsageError(report.errors.join('; '));
  return report.warnings;
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? `1 ${one}` : `${count} ${many}`;
}
