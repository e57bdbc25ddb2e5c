export * from './counters.ts';
export * from './rates.ts';
export * from './reporter.ts';
export * from './json-reporter.ts';
export * from './line-reporter.ts';
export * from './tty-reporter.ts';
export * from './create-reporter.ts';
export * from './phases.ts';
