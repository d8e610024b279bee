/**
 * Checks a JSON value against a schema of Stripe's OpenAPI spec: every property the schema requires is
 * present, types and enum values match, recursively (`$ref`, `anyOf`, `nullable`, arrays). Properties the
 * spec does not know are allowed: the spec (2024) is older than the API the sandbox speaks.
 */
export interface OpenApiSchema {
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  nullable?: boolean;
  anyOf?: OpenApiSchema[];
  enum?: unknown[];
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
}

export interface SchemaViolation {
  path: string;
  message: string;
}

export interface CheckOptions {
  /** `schema.property` pairs the spec requires but today's SDK types no longer have: allowed absent. */
  absentAllowed: Set<string>;
}

export class SchemaChecker {
  constructor(
    private readonly schemas: Record<string, OpenApiSchema>,
    private readonly options: CheckOptions,
  ) {}

  check(value: unknown, schemaName: string): SchemaViolation[] {
    const schema = this.schemas[schemaName];
    if (!schema) return [{ path: schemaName, message: 'no such schema in the spec' }];
    return this.visit(value, schema, schemaName, schemaName);
  }

  private resolve(schema: OpenApiSchema): { schema: OpenApiSchema; name?: string } {
    if (!schema.$ref) return { schema };
    const name = schema.$ref.replace('#/components/schemas/', '');
    return { schema: this.schemas[name], name };
  }

  private visit(
    value: unknown,
    raw: OpenApiSchema,
    path: string,
    schemaName: string,
  ): SchemaViolation[] {
    const { schema, name } = this.resolve(raw);
    const currentName = name ?? schemaName;
    if (value === null) {
      return schema.nullable || raw.nullable
        ? []
        : [{ path, message: 'is null, which the spec does not allow' }];
    }
    if (schema.anyOf) {
      let best: SchemaViolation[] | undefined;
      for (const branch of schema.anyOf) {
        const violations = this.visit(value, branch, path, currentName);
        if (!violations.length) return [];
        if (!best || violations.length < best.length) best = violations;
      }
      return best ?? [];
    }
    const out: SchemaViolation[] = [];
    if (schema.enum && !schema.enum.includes(value)) {
      out.push({
        path,
        message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
      });
    }
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string')
          out.push({ path, message: `should be a string, is ${typeof value}` });
        break;
      case 'integer':
        if (!Number.isInteger(value))
          out.push({ path, message: `should be an integer, is ${JSON.stringify(value)}` });
        break;
      case 'number':
        if (typeof value !== 'number')
          out.push({ path, message: `should be a number, is ${typeof value}` });
        break;
      case 'boolean':
        if (typeof value !== 'boolean')
          out.push({ path, message: `should be a boolean, is ${typeof value}` });
        break;
      case 'array':
        if (!Array.isArray(value)) out.push({ path, message: 'should be an array' });
        else if (schema.items)
          value.forEach((item, i) =>
            out.push(...this.visit(item, schema.items!, `${path}[${i}]`, currentName)),
          );
        break;
      case 'object':
      case undefined: {
        if (schema.type === 'object' && (typeof value !== 'object' || Array.isArray(value))) {
          out.push({ path, message: 'should be an object' });
          break;
        }
        if (typeof value !== 'object' || Array.isArray(value) || !schema.properties) break;
        const record = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
          if (!(key in record) && !this.options.absentAllowed.has(`${currentName}.${key}`)) {
            out.push({ path: `${path}.${key}`, message: `required by ${currentName} but absent` });
          }
        }
        for (const [key, child] of Object.entries(schema.properties)) {
          if (key in record && record[key] !== undefined)
            out.push(...this.visit(record[key], child, `${path}.${key}`, currentName));
        }
      }
    }
    return out;
  }
}
