import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_REFERENCE_PATH, renderApiReference } from '../../tools/api-reference.ts';

describe('constructs/API.md', () => {
  it('is the reference the doc comments give today (npm run docs:api), every optional construct prop with its @default', () => {
    const reference = renderApiReference(); // throws, naming them, when a construct's optional prop has no @default
    expect(reference).toContain('### Database');
    expect(reference).toContain('| `engineLifecycleSupport` | `EngineLifecycleSupport` | rds.EngineLifecycleSupport.OPEN_SOURCE_RDS_EXTENDED_SUPPORT_DISABLED |');
    expect(readFileSync(API_REFERENCE_PATH, 'utf8'), 'constructs/API.md is stale: run npm run docs:api').toBe(reference);
  }, 120_000);
});
