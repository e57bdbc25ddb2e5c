import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';

let server: MariadbServer;
beforeAll(async () => {
  server = await startMariadbServer();
});
afterAll(async () => server?.stop());

test('the second server is a separate MariaDB on its own port', async () => {
  expect(server.port).not.toBe(3306);
  const connection = await mysql.createConnection(server.url);
  const [rows] = await connection.query('SELECT @@port AS port, @@datadir AS datadir');
  await connection.end();
  expect(rows).toEqual([{ port: server.port, datadir: expect.stringContaining('tk-mariadb-') }]);
});
