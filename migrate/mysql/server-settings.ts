import type mysql from 'mysql2/promise';

/** The InnoDB sizes of a server that decide how much a bulk load may hold at once. */
export interface ServerSettings {
  readonly bufferPoolBytes: number;
  /** All redo log files together. */
  readonly redoLogBytes: number;
}

/** Read from the server (no privilege needed); MySQL 8.0.30+ names its redo size innodb_redo_log_capacity. */
export async function readServerSettings(connection: mysql.Connection): Promise<ServerSettings> {
  const [rows] = await connection.query(
    "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('innodb_buffer_pool_size', 'innodb_log_file_size', 'innodb_log_files_in_group', 'innodb_redo_log_capacity')",
  );
  const values = new Map((rows as { Variable_name: string; Value: string }[]).map((row) => [row.Variable_name.toLowerCase(), Number(row.Value)]));
  const redo = values.get('innodb_redo_log_capacity') ?? (values.get('innodb_log_file_size') ?? 48 << 20) * (values.get('innodb_log_files_in_group') ?? 1);
  return { bufferPoolBytes: values.get('innodb_buffer_pool_size') ?? 128 << 20, redoLogBytes: redo };
}
