import { createSchemaObjects, readSchemaObjects } from '../../mysql/schema-objects.ts';
import { required, type DatabasePhase } from './db-phase.ts';

/**
 * Views, triggers and routines, after the data (so triggers never fire on copied rows), each under its
 * original sql_mode; whatever cannot be created is reported by name with the server's reason.
 */
export const objectsPhase: DatabasePhase = {
  name: 'objects',
  async run(run) {
    const preflight = required(run.preflight, 'the preflight', 'objects');
    const { settings } = run;
    const objects = await readSchemaObjects(run.connections.source, settings.sourceDatabase, preflight.tables.map((table) => table.name));
    run.objects = await createSchemaObjects(run.connections.target, settings.sourceDatabase, settings.targetDatabase, objects);
    run.copiedAt = Date.now();
  },
};
