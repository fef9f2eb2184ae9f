import * as z from 'zod';

// What a function's code may ask of a zod schema, run from source by the bundle test and through
// a Lambda bundle, whose zod has no JSON Schema generation (infra/bundling.ts,
// zodJsonSchemaPlugin): the two must agree, and the bundle must refuse toJSONSchema by name.
export function zodProbe(): Record<string, unknown> {
  const schema = z.object({
    name: z.string().trim().min(2).max(5),
    count: z.number().int().min(1).max(9),
    email: z.email(),
    when: z.iso.datetime(),
    kind: z.enum(['a', 'b']).optional(),
  });
  const good = { name: ' Ana ', count: 3, email: 'ana@example.com', when: '2026-12-07T10:00:00Z' };
  const bad = { name: 'A', count: 0, email: 'ana', when: 'yesterday', kind: 'c' };
  const attempt = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const standard = schema['~standard'];
  return {
    parsed: schema.parse(good),
    issues: schema.safeParse(bad).error?.issues.map((i) => [i.code, i.path.join('.'), i.message]),
    standard: standard.validate(good),
    bounds: [
      schema.shape.name.minLength,
      schema.shape.name.maxLength,
      schema.shape.count.minValue,
      schema.shape.count.maxValue,
      schema.shape.email.format,
    ],
    toJSONSchema: attempt(() => z.toJSONSchema(schema)),
    method: attempt(() => schema.toJSONSchema()),
    standardJsonSchema: attempt(() => standard.jsonSchema.input({ target: 'draft-2020-12' })),
  };
}
