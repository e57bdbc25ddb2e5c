import type mysql from 'mysql2/promise';
import { quoteId } from './connect.ts';

export type ObjectKind = 'view' | 'trigger' | 'procedure' | 'function';

/** A view, trigger or routine, with the SQL that recreates it and the sql_mode it was defined under. */
export interface SchemaObject {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly createSql: string;
  readonly sqlMode?: string;
  /** For triggers: the table it belongs to. */
  readonly table?: string;
}

export interface ObjectOutcome {
  readonly kind: ObjectKind;
  readonly name: string;
  readonly status: 'created' | 'failed';
  /** The server's reason for a failure, or its warning for an object created with one. */
  readonly reason?: string;
}

type Row = Record<string, unknown>;

async function rows(connection: mysql.Connection, sql: string, params: unknown[] = []): Promise<Row[]> {
  const [result] = await connection.query(sql, params);
  return result as Row[];
}

/** Views, triggers (of the copied tables) and routines of a database, in a creatable order. */
export async function readSchemaObjects(connection: mysql.Connection, database: string, tables: readonly string[]): Promise<SchemaObject[]> {
  const db = quoteId(database);
  const objects: SchemaObject[] = [];
  for (const row of await rows(connection, 'SELECT TABLE_NAME AS name FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [database])) {
    const [created] = await rows(connection, `SHOW CREATE VIEW ${db}.${quoteId(String(row.name))}`);
    objects.push({ kind: 'view', name: String(row.name), createSql: String(created!['Create View']) });
  }
  const triggers = await rows(
    connection,
    'SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tableName FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? ORDER BY EVENT_OBJECT_TABLE, ACTION_ORDER',
    [database],
  );
  for (const row of triggers.filter((trigger) => tables.includes(String(trigger.tableName)))) {
    const [created] = await rows(connection, `SHOW CREATE TRIGGER ${db}.${quoteId(String(row.name))}`);
    objects.push({
      kind: 'trigger',
      name: String(row.name),
      table: String(row.tableName),
      createSql: String(created!['SQL Original Statement']),
      sqlMode: String(created!['sql_mode'] ?? ''),
    });
  }
  const routines = await rows(
    connection,
    'SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? ORDER BY ROUTINE_TYPE, ROUTINE_NAME',
    [database],
  );
  for (const row of routines) {
    const type = String(row.type).toUpperCase() === 'FUNCTION' ? 'function' : 'procedure';
    const [created] = await rows(connection, `SHOW CREATE ${type.toUpperCase()} ${db}.${quoteId(String(row.name))}`);
    const createSql = created![type === 'function' ? 'Create Function' : 'Create Procedure'];
    objects.push({
      kind: type,
      name: String(row.name),
      // NULL when the reading user may not see the body: recreating it is impossible, say so.
      createSql: createSql === null || createSql === undefined ? '' : String(createSql),
      sqlMode: String(created!['sql_mode'] ?? ''),
    });
  }
  return objects;
}

function rewriteSchema(sql: string, from: string, to: string): string {
  return from === to ? sql : sql.split(`${quoteId(from)}.`).join(`${quoteId(to)}.`);
}

const DROP: Record<ObjectKind, string> = {
  view: 'DROP VIEW IF EXISTS',
  trigger: 'DROP TRIGGER IF EXISTS',
  procedure: 'DROP PROCEDURE IF EXISTS',
  function: 'DROP FUNCTION IF EXISTS',
};

/**
 * Recreates objects on the target after the data (so triggers never fire on copied rows).
 * Views that depend on views are retried until no more succeed; every failure is reported by name.
 */
export async function createSchemaObjects(
  connection: mysql.Connection,
  sourceDatabase: string,
  targetDatabase: string,
  objects: readonly SchemaObject[],
): Promise<ObjectOutcome[]> {
  const outcomes = new Map<SchemaObject, ObjectOutcome>();
  if (objects.length === 0) return [];
  // Unqualified names in the definitions (e.g. CREATE VIEW `v`) must land in the target schema.
  await connection.query(`USE ${quoteId(targetDatabase)}`);
  let pending = [...objects];
  for (let pass = 0; pending.length > 0 && pass < objects.length + 1; pass += 1) {
    const failed: SchemaObject[] = [];
    for (const object of pending) {
      if (!object.createSql) {
        outcomes.set(object, { kind: object.kind, name: object.name, status: 'failed', reason: 'definition not visible to the source user (needs SHOW_ROUTINE or SELECT on mysql.proc)' });
        continue;
      }
      try {
        await connection.query(`SET SESSION sql_mode = ?`, [object.sqlMode ?? 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION']);
        await connection.query(`${DROP[object.kind]} ${quoteId(targetDatabase)}.${quoteId(object.name)}`);
        const [result] = await connection.query(rewriteSchema(object.createSql, sourceDatabase, targetDatabase));
        const warnings = (result as mysql.ResultSetHeader).warningStatus ?? 0;
        let reason: string | undefined;
        if (warnings > 0) {
          const [list] = await connection.query('SHOW WARNINGS LIMIT 1');
          reason = (list as { Message: string }[])[0]?.Message;
        }
        outcomes.set(object, { kind: object.kind, name: object.name, status: 'created', ...(reason ? { reason } : {}) });
      } catch (error) {
        outcomes.set(object, { kind: object.kind, name: object.name, status: 'failed', reason: (error as Error).message });
        failed.push(object);
      }
    }
    if (failed.length === pending.length) break;
    pending = failed;
  }
  await connection.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
  return objects.map((object) => outcomes.get(object)!);
}
