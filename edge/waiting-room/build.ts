import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** CloudFront Functions refuse code over 10 KB. */
export const functionCodeLimit = 10_240;

/**
 * The waiting room's CloudFront Function as deployed: the shared core with its types stripped (TypeScript's
 * transpiler only erases them; the core's syntax already fits cloudfront-js-2.0) and its `export`s removed,
 * inside handler.js. `@ticketkit/constructs` ships this string; test/edge/ runs it against sample events.
 */
export function buildWaitingRoomFunction(): string {
  const core = readFileSync(new URL('../../shared/waiting-room.ts', import.meta.url), 'utf8');
  const handler = readFileSync(new URL('./handler.js', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(core, {
    compilerOptions: { target: ts.ScriptTarget.ES2017, module: ts.ModuleKind.ESNext, removeComments: true },
  });
  const body = outputText
    .replace(/^export \{\};?\s*$/m, '')
    .replace(/^export (const|function|let) /gm, '$1 ');
  if (/^\s*(export|import)\b/m.test(body)) throw new Error('the waiting-room core must have no imports or other exports');
  const code = handler.replace('/*__WAITING_ROOM_CORE__*/', body.trim()).replace(/^\s*\/\/.*$\n/gm, '');
  if (Buffer.byteLength(code) > functionCodeLimit) throw new Error(`the waiting-room function is ${Buffer.byteLength(code)} bytes; CloudFront allows ${functionCodeLimit}`);
  return code;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(buildWaitingRoomFunction());
