import { isDeepStrictEqual } from 'node:util';
import { z } from '@/lib/validation/zod';
import {
  headers,
  info,
  pathParameters,
  responses as sharedResponses,
  securitySchemes,
  servers,
  standaloneSchemas,
  tags,
  type HeaderName,
  type SharedResponseName,
} from './components';
import { operations, type HeaderSpec, type Method, type Operation, type ResponseSpec } from './registry';

// Builds docs/openapi.yaml (OpenAPI 3.1) from the route registry and the zod schemas, with
// zod's own z.toJSONSchema. Schemas that carry an `id` become components and are referenced
// by $ref; the rest are written inline where they are used. Request bodies are described by
// what the client sends (zod's "input" side: before trims, transforms and defaults).

type Json = Record<string, unknown>;

const SCHEMA_REF = '#/components/schemas/';
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Leaves out what zod adds for its own validation and the document never said: the regular
 * expression behind a string format (the `format` says it), the safe-integer range of every
 * z.int(), and the key type of a record (JSON keys are always strings).
 */
function tidy(ctx: { zodSchema: { _zod: { def: unknown } }; jsonSchema: Json }) {
  const def = ctx.zodSchema._zod.def as { type?: string; format?: string };
  const s = ctx.jsonSchema;
  if (def.type === 'string' && def.format && s.format) delete s.pattern;
  if (s.minimum === -MAX_SAFE) delete s.minimum;
  if (s.maximum === MAX_SAFE) delete s.maximum;
  if (s.type === 'object' && isDeepStrictEqual(s.propertyNames, { type: 'string' })) delete s.propertyNames;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== 'object' || node === null) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, SCHEMA_REF) : rewriteRefs(v);
  }
  return out;
}

class SchemaCollector {
  readonly components: Record<string, Json> = {};

  private add(name: string, schema: Json) {
    const known = this.components[name];
    if (known && !isDeepStrictEqual(known, schema))
      throw new Error(`Two different schemas are named ${name}; give one of them another id`);
    this.components[name] = schema;
  }

  /** The JSON Schema of `schema`: a $ref when it is a component, otherwise inline. */
  convert(schema: z.ZodType, component?: string): Json {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', override: tidy }) as Json;
    const { $schema: _dialect, $defs, ...rest } = json;
    for (const [name, def] of Object.entries(($defs ?? {}) as Record<string, Json>))
      this.add(name, rewriteRefs(def) as Json);
    const root = rewriteRefs(rest) as Json;
    if (!component) return root;
    this.add(component, root);
    return { $ref: SCHEMA_REF + component };
  }
}

function headerObject(spec: HeaderSpec, schemas: SchemaCollector): Json {
  if (typeof spec === 'string') return { $ref: `#/components/headers/${spec}` };
  return {
    ...(spec.description ? { description: spec.description } : {}),
    required: spec.required,
    schema: schemas.convert(spec.schema),
  };
}

function responseObject(
  r: { description: string; schema?: z.ZodType; headers?: Record<string, HeaderSpec> },
  schemas: SchemaCollector,
): Json {
  const out: Json = { description: r.description };
  if (r.headers)
    out.headers = Object.fromEntries(Object.entries(r.headers).map(([k, h]) => [k, headerObject(h, schemas)]));
  if (r.schema) out.content = { 'application/json': { schema: schemas.convert(r.schema) } };
  return out;
}

const pathParamNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);

function pathParameterObject(name: string): Json {
  const p = pathParameters[name];
  if (!p) throw new Error(`The path parameter {${name}} is not described in lib/contract/components.ts`);
  if (p.component) return { $ref: `#/components/parameters/${p.component}` };
  return { name, in: 'path', required: true, description: p.description, schema: { type: 'string', format: 'uuid' } };
}

function queryParameters(query: z.ZodObject, schemas: SchemaCollector): Json[] {
  return Object.entries(query.shape).map(([name, field]) => {
    const { description, ...schema } = schemas.convert(field as z.ZodType);
    const required = !(field as z.ZodType).safeParse(undefined).success;
    return { name, in: 'query', required, ...(description ? { description } : {}), schema };
  });
}

const SECURITY = { public: [], session: [{ sessionCookie: [] }], device: [{ bearerAuth: [] }] };

function operationObject(op: Operation, schemas: SchemaCollector): Json {
  const out: Json = { operationId: op.operationId, tags: op.tags, summary: op.summary };
  if (op.description) out.description = op.description;
  out['x-skypost-status'] = op.status ?? 'implemented';
  if (op.provider) out['x-skypost-provider'] = op.provider;
  out.security = SECURITY[op.auth];
  if (op.query) out.parameters = queryParameters(op.query, schemas);
  if (op.request) {
    out.requestBody = {
      required: true,
      ...(op.request.description ? { description: op.request.description } : {}),
      content: {
        [op.request.mediaType ?? 'application/json']: {
          schema: schemas.convert(op.request.schema, op.request.component),
        },
      },
    };
  }
  out.responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, r]) => [
      status,
      typeof r === 'string' ? { $ref: `#/components/responses/${r}` } : responseObject(r, schemas),
    ]),
  );
  return out;
}

/** The whole document, as a plain object. */
export function buildOpenApiDocument(): Json {
  const schemas = new SchemaCollector();
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    const params = pathParamNames(op.path);
    if (params.length && !item.parameters) item.parameters = params.map(pathParameterObject);
    item[op.method] = operationObject(op, schemas);
  }

  const parameters: Record<string, Json> = {};
  for (const [name, p] of Object.entries(pathParameters)) {
    if (!p.component) continue;
    parameters[p.component] = {
      name,
      in: 'path',
      required: true,
      ...(p.description ? { description: p.description } : {}),
      schema: { type: 'string', format: 'uuid' },
    };
  }
  const headerComponents = Object.fromEntries(
    Object.entries(headers).map(([name, h]) => [
      name,
      { description: h.description, ...(h.required ? { required: true } : {}), schema: schemas.convert(h.schema) },
    ]),
  );
  const responseComponents = Object.fromEntries(
    Object.entries(sharedResponses).map(([name, r]) => [name, responseObject(r, schemas)]),
  );
  for (const s of standaloneSchemas) schemas.convert(s);

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info,
    servers,
    tags,
    paths,
    components: {
      securitySchemes,
      parameters,
      headers: headerComponents,
      responses: responseComponents,
      schemas: schemas.components,
    },
  };
}

// ---- lookups for the tests ----------------------------------------------------------------

export type ResolvedHeader = { required: boolean; schema: z.ZodType };
export type ResolvedResponse = { schema?: z.ZodType; headers: Record<string, ResolvedHeader> };

export function findOperation(method: Method, path: string): Operation | undefined {
  return operations.find((o) => o.method === method && o.path === path);
}

function resolveHeader(h: HeaderSpec): ResolvedHeader {
  const spec = typeof h === 'string' ? headers[h as HeaderName] : h;
  return { required: spec.required, schema: spec.schema };
}

/** What the registry says an answer with this status looks like, or undefined when the status is not listed. */
export function registeredResponse(method: Method, path: string, status: number): ResolvedResponse | undefined {
  const r = findOperation(method, path)?.responses[status];
  if (r === undefined) return undefined;
  const spec: ResponseSpec = typeof r === 'string' ? sharedResponses[r as SharedResponseName] : r;
  return {
    schema: spec.schema,
    headers: Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, h]) => [k, resolveHeader(h)])),
  };
}
