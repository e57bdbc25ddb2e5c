import { afterAll, afterEach } from 'vitest';
import { contractProblems, isApiPath } from './contract.ts';

/**
 * Every answer of the API that a test receives through fetch (HttpClient, the fault tests' buyers,
 * plain fetch calls) is checked against the OpenAPI document, on a copy of its body; a test whose answers
 * break the contract fails after it ends, naming each answer. Loaded for every test file (vitest.config.ts).
 */
const pending = new Set<Promise<void>>();
const problems: string[] = [];
const fetchWithoutCheck = globalThis.fetch;

globalThis.fetch = async (input, init) => {
  const response = await fetchWithoutCheck(input, init);
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request?.url ?? String(input));
  if (isApiPath(url.pathname)) {
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const check = response
      .clone()
      .text()
      .then(
        (text) => void problems.push(...contractProblems({ method, path: url.pathname, status: response.status, headers: response.headers, text })),
        // The body was cut off (the instance was killed, the client gave up): there is nothing to check.
        () => undefined,
      );
    pending.add(check);
    void check.finally(() => pending.delete(check));
  }
  return response;
};

async function failOnBrokenContract(): Promise<void> {
  await Promise.all(pending);
  const found = problems.splice(0);
  if (found.length) throw new Error(`answers that break the OpenAPI contract (app/http/openapi/):\n${found.join('\n')}`);
}

// After each test, and once more for what beforeAll/afterAll hooks received.
afterEach(failOnBrokenContract);
afterAll(failOnBrokenContract);
