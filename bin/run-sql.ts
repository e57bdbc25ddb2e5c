// Runs one SQL statement (argv[2]) against DATABASE_URL, with the API's TLS options: the instance boot
// script's idempotent set-up (e.g. binlog retention), since the API artifact has no node_modules for a one-liner.
import mysql from 'mysql2/promise';
import { connectionOptions } from '../app/infra/mysql/connection-options.ts';

const [sql] = process.argv.slice(2);
if (!sql || !process.env.DATABASE_URL) {
  console.error('usage: DATABASE_URL=mysql://... run-sql "<one SQL statement>"');
  process.exit(2);
}
try {
  const connection = await mysql.createConnection(connectionOptions(process.env.DATABASE_URL));
  await connection.query(sql);
  await connection.end();
} catch (error) {
  console.error(`run-sql: ${(error as Error).message}`);
  process.exit(1);
}
