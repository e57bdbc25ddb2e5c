import { expect, test } from 'vitest';
import { deferredAlter, deferredForeignKeys, deferredIndexes, splitTableDdl } from '../../migrate/mysql/table-ddl.ts';

const TICKETS = `CREATE TABLE \`tickets\` (
  \`id\` int(10) unsigned NOT NULL AUTO_INCREMENT,
  \`order_id\` int(10) unsigned NOT NULL,
  \`seat_id\` int(10) unsigned NOT NULL,
  PRIMARY KEY (\`id\`),
  UNIQUE KEY \`uq_seat\` (\`seat_id\`),
  KEY \`ix_tickets_order\` (\`order_id\`),
  CONSTRAINT \`fk_tickets_order\` FOREIGN KEY (\`order_id\`) REFERENCES \`orders\` (\`id\`)
) ENGINE=InnoDB AUTO_INCREMENT=3661 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

test('keeps columns, primary key and table options; defers secondary indexes and foreign keys', () => {
  const split = splitTableDdl(TICKETS);
  expect(split.createTable).toBe(`CREATE TABLE \`tickets\` (
  \`id\` int(10) unsigned NOT NULL AUTO_INCREMENT,
  \`order_id\` int(10) unsigned NOT NULL,
  \`seat_id\` int(10) unsigned NOT NULL,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB AUTO_INCREMENT=3661 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  expect(deferredIndexes(split.deferred)).toEqual(['ADD UNIQUE KEY `uq_seat` (`seat_id`)', 'ADD KEY `ix_tickets_order` (`order_id`)']);
  expect(deferredForeignKeys(split.deferred)).toEqual(['ADD CONSTRAINT `fk_tickets_order` FOREIGN KEY (`order_id`) REFERENCES `orders` (`id`)']);
  expect(deferredAlter('`t`.`tickets`', deferredIndexes(split.deferred))).toBe(
    'ALTER TABLE `t`.`tickets` ADD UNIQUE KEY `uq_seat` (`seat_id`), ADD KEY `ix_tickets_order` (`order_id`)',
  );
});

test('a table with only a primary key defers nothing', () => {
  const sql = 'CREATE TABLE `e` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB';
  expect(splitTableDdl(sql)).toEqual({ createTable: sql, deferred: [] });
  expect(deferredAlter('`e`', [])).toBeUndefined();
});
