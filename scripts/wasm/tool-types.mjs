// TypeScript declarations of the tool calls, generated from the engine's own tool schema (which is
// generated from the Rust parameter types): the package's `ToolCall` type can never drift from
// what the engine validates. Handles the JSON Schema subset the schema uses: objects of
// string / integer / number / boolean properties, `enum`, `required`, bounds and descriptions.

const pascal = (name) => name.replace(/(^|_)([a-z])/g, (_, __, c) => c.toUpperCase());

function propertyType(schema) {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  switch (schema.type) {
    case "integer":
    case "number":
      return "number";
    case "string":
      return "string";
    case "boolean":
      return "boolean";
    default:
      throw new Error(`tool-types: unsupported schema ${JSON.stringify(schema)}`);
  }
}

function bounds(schema) {
  const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? `> ${schema.exclusiveMinimum}` : undefined);
  const parts = [];
  if (schema.type === "integer") parts.push("an integer");
  if (low !== undefined && schema.maximum !== undefined) {
    parts.push(typeof low === "string" ? `${low}, ≤ ${schema.maximum}` : `${low} to ${schema.maximum}`);
  }
  if (schema.maxLength) parts.push(`at most ${schema.maxLength} characters`);
  if (schema.pattern) parts.push(`matching ${schema.pattern}`);
  return parts.length ? ` (${parts.join(", ")})` : "";
}

const comment = (text, indent = "") => `${indent}/** ${text.replaceAll("*/", "*\\/")} */\n`;

/** The declarations for `schema` (the value of `toolSchema()`). */
export function toolTypes(schema) {
  let out = "// Generated from toolSchema() by scripts/wasm/tool-types.mjs.\n\n";
  const calls = [];
  for (const { function: fn } of schema) {
    const params = fn.parameters;
    const name = `${pascal(fn.name)}Params`;
    const required = new Set(params.required ?? []);
    out += comment(`Parameters of \`${fn.name}\`: ${fn.description}`);
    out += `export interface ${name} {\n`;
    for (const [key, prop] of Object.entries(params.properties ?? {})) {
      out += comment(`${prop.description ?? ""}${bounds(prop)}`, "  ");
      out += `  ${key}${required.has(key) ? "" : "?"}: ${propertyType(prop)};\n`;
    }
    out += "}\n\n";
    calls.push([fn.name, name, required.size > 0]);
  }
  out += comment("A tool name of the contract.");
  out += `export type ToolName = ${calls.map(([n]) => JSON.stringify(n)).join(" | ")};\n\n`;
  out += comment(
    "One tool call of the contract. `params` may also be JSON text (as OpenAI sends function arguments). " +
      "With `applyToAll: false`, `imageId` names the one image the call applies to.",
  );
  out += `export type ToolCall =\n${calls
    .map(([tool, params, needed]) => `  | { tool: ${JSON.stringify(tool)}; params${needed ? "" : "?"}: ${params} | string; applyToAll?: boolean; imageId?: string }`)
    .join("\n")};\n`;
  return out;
}
