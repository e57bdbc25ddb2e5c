import { afterAll, afterEach } from 'vitest';
import { contractProblems, isApiPath, type ReceivedAnswer } from './contract.ts';

/**
 * Every answer of the API that a test receives through fetch (HttpClient, the fault tests' buyers,
 * plain fetch calls) is checked against the OpenAPI document, on a copy of its body; a test whose answers
 * break the contract fails after it ends, naming each answer. Loaded for every test file (vitest.config.ts).
 */
const pending = new Set<Promise<void>>();
const problems: string[] = [];
const fetchWithoutCheck = globalThis.fetch;

/**
 * Checks an answer once it has fully arrived (resolved to null when there is nothing to check, e.g. its
 * body was cut off because the instance was killed). Browser tests feed the page's answers in here too.
 */
export function checkAnswer(answer: Promise<ReceivedAnswer | null>): void {
  const check = answer.then(
    (received) => void (received && problems.push(...contractProblems(received))),
    () => undefined,
  );
  pending.add(check);
  void check.finally(() => pending.delete(check));
}

globalThis.fetch = async (input, init) => {
  const response = await fetchWithoutCheck(input, init);
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request?.url ?? String(input));
  if (isApiPath(url.pathname)) {
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const { status, headers } = response;
    checkAnswer(response.clone().text().then((text) => ({ method, path: url.pathname, status, headers, text })));
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
