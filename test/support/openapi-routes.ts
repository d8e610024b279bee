/** The routes of the committed OpenAPI document, for tests that must cover every route (fuzz, authorization). */
import { readFileSync } from 'node:fs';

export interface OpenApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** As documented: `/connect/accounts/{id}`. */
  path: string;
  /** `METHOD /path`, the key of per-route tables. */
  key: string;
  /** The JSON body's top-level properties, when the document names a schema. */
  bodyProperties: string[];
  consumesMultipart: boolean;
}

interface Document {
  paths: Record<
    string,
    Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> } }>
  >;
  components?: { schemas?: Record<string, { properties?: Record<string, unknown> }> };
}

export function openApiRoutes(file = 'openapi.json'): OpenApiRoute[] {
  const document = JSON.parse(readFileSync(file, 'utf8')) as Document;
  const routes: OpenApiRoute[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const content = operation.requestBody?.content ?? {};
      const ref = content['application/json']?.schema?.$ref;
      const schema = ref ? document.components?.schemas?.[ref.split('/').pop()!] : undefined;
      routes.push({
        method: method as OpenApiRoute['method'],
        path,
        key: `${method.toUpperCase()} ${path}`,
        bodyProperties: Object.keys(schema?.properties ?? {}),
        consumesMultipart: 'multipart/form-data' in content,
      });
    }
  }
  return routes;
}

/** The path with its `{param}`s filled in. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? 'missing');
}
