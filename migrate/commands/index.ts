import type { CommandModule } from './command-module.ts';
import { dbCommand } from './db.ts';
import { planCommand } from './plan.ts';
import { verifyCommand } from './verify.ts';
import { datasetCommand } from './dataset.ts';
import { postersCommand } from './posters.ts';
import { verifyPostersCommand } from './verify-posters.ts';
import { cutoverCommand } from './cutover.ts';

export type { CommandContext, CommandModule } from './command-module.ts';
export type { OutputStream } from '../progress/output-stream.ts';

/** Every subcommand of bin/migrate, in help order. Add a module here to add a command. */
export const commands: readonly CommandModule[] = [dbCommand, cutoverCommand, verifyCommand, planCommand, datasetCommand, postersCommand, verifyPostersCommand];
