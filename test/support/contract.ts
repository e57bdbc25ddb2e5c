import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../../app/http/openapi/document.ts';

/** An answer of the API as a client received it. */
export interface ReceivedAnswer {
  method: string;
  /** Path without the query string, e.g. `/api/events/7/seats`. */
  path: string;
  status: number;
  headers: Headers;
  /** The body's text ('' when none). */
  text: string;
}

interface DocumentedHeader {
  required?: boolean;
  schema?: unknown;
  $ref?: string;
}
interface DocumentedResponse {
  headers?: Record<string, DocumentedHeader>;
  content?: Record<string, { schema?: unknown }>;
}
type DocumentedOperation = { responses: Record<string, DocumentedResponse> };

const document = openApiDocument() as unknown as {
  paths: Record<string, Record<string, DocumentedOperation>>;
  components: { headers?: Record<string, DocumentedHeader> } & Record<string, unknown>;
};
// ajv-formats is CommonJS with a default export; under ESM interop it arrives as the module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => void;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/** Path templates as regular expressions, literal paths before templated ones. */
const templates = Object.keys(document.paths)
  .map((template) => ({ template, pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+').replaceAll('.', '\\.')}$`) }))
  .sort((a, b) => Number(a.template.includes('{')) - Number(b.template.includes('{')));

const validators = new Map<string, ValidateFunction>();

/** Compiles a response schema with the document's components beside it, so `#/components/...` refs resolve. */
function validatorFor(key: string, schema: unknown): ValidateFunction {
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile({ ...(schema as object), components: document.components });
    validators.set(key, validate);
  }
  return validate;
}

/** Is this path one the OpenAPI document speaks for? (The buyer page's files are not part of it.) */
export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path === '/healthz' || path === '/readyz';
}

/**
 * What is wrong with an answer, measured against the OpenAPI document: an undocumented status, a body
 * that does not match its schema, a missing required header. Empty when the answer keeps the contract.
 */
export function contractProblems(answer: ReceivedAnswer): string[] {
  const where = `${answer.method} ${answer.path} → ${answer.status}`;
  const template = templates.find(({ pattern }) => pattern.test(answer.path))?.template;
  if (!template) {
    return answer.status === 404 || answer.status === 405 ? errorShapeProblems(answer, where) : [`${where}: no such path in the document`];
  }
  const method = answer.method === 'HEAD' ? 'get' : answer.method.toLowerCase();
  const operation = document.paths[template]![method];
  if (!operation) {
    if (answer.method === 'OPTIONS' && answer.status < 300) return [];
    return answer.status === 405 ? errorShapeProblems(answer, where) : [`${where}: method not in the document, so 405 was expected`];
  }
  const response = operation.responses[String(answer.status)];
  if (!response) return [`${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`];

  const problems: string[] = [];
  for (const [name, declared] of Object.entries(response.headers ?? {})) {
    const header = declared.$ref ? document.components.headers?.[declared.$ref.split('/').pop()!] : declared;
    const value = answer.headers.get(name);
    if (value === null) {
      if (header?.required) problems.push(`${where}: required header ${name} is missing`);
    } else if (header?.schema && !validatorFor(`header ${template} ${method} ${answer.status} ${name}`, header.schema)(value)) {
      problems.push(`${where}: header ${name}: ${value} does not match the document`);
    }
  }
  const schema = response.content?.['application/json']?.schema;
  if (answer.method === 'HEAD' || !schema) {
    if (answer.method !== 'HEAD' && answer.text !== '') problems.push(`${where}: a body was sent where the document declares none`);
    return problems;
  }
  if (!answer.headers.get('content-type')?.startsWith('application/json')) {
    return [...problems, `${where}: Content-Type ${answer.headers.get('content-type')} instead of application/json`];
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [...problems, `${where}: the body is not JSON`];
  }
  const validate = validatorFor(`${template} ${method} ${answer.status}`, schema);
  if (!validate(body)) {
    const details = (validate.errors ?? []).slice(0, 5).map((error) => `${error.instancePath || '/'} ${error.message}`);
    problems.push(`${where}: body does not match the document: ${details.join('; ')}; body: ${answer.text.slice(0, 300)}`);
  }
  return problems;
}

/** Answers outside any operation (unknown path, unknown method) still have the error shape. */
function errorShapeProblems(answer: ReceivedAnswer, where: string): string[] {
  const code = answer.status === 404 ? 'not_found' : 'method_not_allowed';
  if (answer.method === 'HEAD') return [];
  try {
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    if (body.error?.code === code && typeof body.error.message === 'string') return [];
  } catch {
    // falls through to the problem below
  }
  return [`${where}: expected {"error":{"code":"${code}",...}}, got ${answer.text.slice(0, 200)}`];
}
