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
    if (schema.anyOf) return this.visitAnyOf(value, schema.anyOf, path, currentName);
    const out: SchemaViolation[] = [];
    if (schema.enum && !schema.enum.includes(value)) {
      out.push({
        path,
        message: `${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`,
      });
    }
    if (schema.type === 'array') out.push(...this.visitArray(value, schema, path, currentName));
    else if (schema.type === 'object' || schema.type === undefined)
      out.push(...this.visitObject(value, schema, path, currentName));
    else out.push(...checkScalar(value, schema.type, path));
    return out;
  }

  /** The branch the value fits, or the violations of the branch it fits best. */
  private visitAnyOf(
    value: unknown,
    branches: OpenApiSchema[],
    path: string,
    schemaName: string,
  ): SchemaViolation[] {
    let best: SchemaViolation[] | undefined;
    for (const branch of branches) {
      const violations = this.visit(value, branch, path, schemaName);
      if (!violations.length) return [];
      if (!best || violations.length < best.length) best = violations;
    }
    return best ?? [];
  }

  private visitArray(
    value: unknown,
    schema: OpenApiSchema,
    path: string,
    schemaName: string,
  ): SchemaViolation[] {
    if (!Array.isArray(value)) return [{ path, message: 'should be an array' }];
    if (!schema.items) return [];
    return value.flatMap((item, i) => this.visit(item, schema.items!, `${path}[${i}]`, schemaName));
  }

  /** Required properties present (unless allowed absent), and each known property of its schema. */
  private visitObject(
    value: unknown,
    schema: OpenApiSchema,
    path: string,
    schemaName: string,
  ): SchemaViolation[] {
    const isObject = typeof value === 'object' && !Array.isArray(value);
    if (schema.type === 'object' && !isObject) return [{ path, message: 'should be an object' }];
    if (!isObject || !schema.properties) return [];
    const record = value as Record<string, unknown>;
    const out: SchemaViolation[] = [];
    for (const key of schema.required ?? []) {
      if (!(key in record) && !this.options.absentAllowed.has(`${schemaName}.${key}`)) {
        out.push({ path: `${path}.${key}`, message: `required by ${schemaName} but absent` });
      }
    }
    for (const [key, child] of Object.entries(schema.properties)) {
      if (key in record && record[key] !== undefined)
        out.push(...this.visit(record[key], child, `${path}.${key}`, schemaName));
    }
    return out;
  }
}

/** A string, integer, number or boolean of the right JSON type. */
function checkScalar(value: unknown, type: string, path: string): SchemaViolation[] {
  switch (type) {
    case 'string':
      return typeof value === 'string'
        ? []
        : [{ path, message: `should be a string, is ${typeof value}` }];
    case 'integer':
      return Number.isInteger(value)
        ? []
        : [{ path, message: `should be an integer, is ${JSON.stringify(value)}` }];
    case 'number':
      return typeof value === 'number'
        ? []
        : [{ path, message: `should be a number, is ${typeof value}` }];
    case 'boolean':
      return typeof value === 'boolean'
        ? []
        : [{ path, message: `should be a boolean, is ${typeof value}` }];
    default:
      return [];
  }
}
