// Types of constructs/build-handlers.mjs (plain JS so build.mjs, run by npm pack, can use it without a compiler).
export declare const HANDLERS: readonly string[];
export declare const repositoryHandlerDirectory: string;
export declare function buildHandlers(outDir?: string): Promise<void>;
export declare function ensureHandlers(outDir?: string): Promise<string[]>;
