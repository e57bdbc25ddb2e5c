// Types of tools/ensure-chromium.mjs (plain JS so npm runs it before anything is compiled), for its test.
export declare const debianChromiumPath: string;
export declare const installCommand: string;
export type ChromiumPlan = { action: 'present' } | { action: 'install' } | { action: 'cannot'; reason: string };
export declare function chromiumPlan(facts: { path: string; exists: boolean; isRoot: boolean; hasAptGet: boolean }): ChromiumPlan;
