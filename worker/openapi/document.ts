/**
 * Builds the OpenAPI 3.1 document from the route definitions with zod's own JSON Schema output
 * (draft 2020-12, the dialect OpenAPI 3.1 uses). Schemas named with `.meta({ id })` become
 * `components.schemas`; everything else is inlined where it is used.
 */
import { z } from "zod";
import { SESSION_COOKIE_NAME } from "../../config";
import packageJson from "../../package.json";
import { anyApiErrorSchema } from "../../schema/core/responses";
import { PATH_PARAMS } from "../routes/common";
import { isJsonResponse, isMediaResponse, type RouteDoc, TAGS } from "../routes/define";

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface MediaType {
  schema?: JsonSchema;
}

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  parameters: Parameter[];
  requestBody?: { required: true; description?: string; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, Partial<Record<RouteDoc["method"], Operation>>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

/** The name of the session security scheme in the document. */
export const SESSION_SCHEME = "session";

const DEFS_PREFIX = "#/$defs/";
const COMPONENTS_PREFIX = "#/components/schemas/";

/** Rewrites zod's local `$defs` references to the document's components. */
function retarget(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(retarget);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === "$ref" && typeof inner === "string" && inner.startsWith(DEFS_PREFIX)
        ? COMPONENTS_PREFIX + inner.slice(DEFS_PREFIX.length)
        : retarget(inner),
    ]),
  );
}

/** One zod schema as JSON Schema; its named parts are moved into `components`. */
function toJsonSchema(schema: z.ZodType, io: "input" | "output", components: Record<string, JsonSchema>): JsonSchema {
  const { $schema: _dialect, $defs, ...body } = z.toJSONSchema(schema, { target: "draft-2020-12", io });
  for (const [id, def] of Object.entries($defs ?? {})) {
    const component = retarget(def) as JsonSchema;
    const known = components[id];
    // Two different schemas under one id would silently document the wrong one.
    if (known && JSON.stringify(known) !== JSON.stringify(component))
      throw new Error(`Two different schemas are named ${id}`);
    components[id] = component;
  }
  return retarget(body) as JsonSchema;
}

const PATH_PARAM = /\{(\w+)\}/g;

function parametersOf(route: RouteDoc, components: Record<string, JsonSchema>): Parameter[] {
  const path = [...route.path.matchAll(PATH_PARAM)].map(([, name = ""]): Parameter => {
    const param = PATH_PARAMS[name];
    if (!param) throw new Error(`No description of the path parameter {${name}} in ${route.path}`);
    return {
      name,
      in: "path",
      required: true,
      description: param.description,
      schema: toJsonSchema(param.schema, "input", components),
    };
  });
  if (!route.query) return path;
  const query = toJsonSchema(route.query, "input", components);
  const properties = (query.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query.required ?? []) as string[]);
  return [
    ...path,
    ...Object.entries(properties).map(([name, schema]): Parameter => {
      const { description, ...rest } = schema;
      return {
        name,
        in: "query",
        required: required.has(name),
        ...(typeof description === "string" ? { description } : {}),
        schema: rest,
      };
    }),
  ];
}

/** `get /api/rooms/{roomId}` → `getApiRoomsRoomId`. */
function operationId(route: RouteDoc): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return route.method + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
}

function operationOf(route: RouteDoc, components: Record<string, JsonSchema>): Operation {
  const operation: Operation = {
    operationId: operationId(route),
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: route.auth === "session" ? [{ [SESSION_SCHEME]: [] }] : [],
    parameters: parametersOf(route, components),
    responses: {},
  };
  if (route.body) {
    const content: Record<string, MediaType> =
      "json" in route.body
        ? { "application/json": { schema: toJsonSchema(route.body.json, "input", components) } }
        : Object.fromEntries(route.body.media.map((type) => [type, {}]));
    operation.requestBody = {
      required: true,
      ...(route.body.description ? { description: route.body.description } : {}),
      content,
    };
  }
  for (const [status, doc] of Object.entries(route.responses)) {
    let content: Record<string, MediaType> | undefined;
    if (isJsonResponse(doc)) content = { "application/json": { schema: toJsonSchema(doc.json, "output", components) } };
    else if (isMediaResponse(doc))
      content = Object.fromEntries(
        doc.media.map((type) => [type, doc.format === "text" ? { schema: { type: "string" } } : {}]),
      );
    operation.responses[status] = { description: doc.description, ...(content ? { content } : {}) };
  }
  return operation;
}

/** The whole document, paths in the order of `routes`. Pure: the same routes always give the same document. */
export function buildDocument(routes: readonly RouteDoc[]): OpenApiDocument {
  const components: Record<string, JsonSchema> = {};
  const paths: OpenApiDocument["paths"] = {};
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    paths[route.path] = item;
    if (item[route.method]) throw new Error(`${route.method} ${route.path} is defined twice`);
    item[route.method] = operationOf(route, components);
  }
  // Each route's error responses admit only its own codes; this names the shape they share.
  toJsonSchema(anyApiErrorSchema, "output", components);
  return {
    openapi: "3.1.0",
    info: {
      title: "Haven API",
      version: packageJson.version,
      description:
        `Same-origin JSON over HTTPS, authenticated by the \`${SESSION_COOKIE_NAME}\` cookie. ` +
        `Every error body is \`{ error: { code, message, details? } }\`. ` +
        `See docs/api.md for the full story of each route.`,
    },
    tags: TAGS.map(({ name, description }) => ({ name, description })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        [SESSION_SCHEME]: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE_NAME,
          description: "Set by sign-up, login and sign-in links.",
        },
      },
    },
  };
}
