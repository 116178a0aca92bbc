// A reader for the small subset of TOML that wasm-pack.toml uses: `[table]` and `[a.b]` headers,
// `key = value` with values that are strings ("…" or '…'), integers, floats, booleans, or arrays
// of those (which may span lines), and `#` comments. Anything else is an error naming the line.

/** Parses TOML text into nested plain objects. */
export function parseToml(text, file = "TOML") {
  const root = {};
  let table = root;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const where = `${file}:${i + 1}`;
    let line = stripComment(lines[i]).trim();
    if (line === "") continue;
    const header = /^\[([A-Za-z0-9_.-]+)\]$/.exec(line);
    if (header) {
      table = root;
      for (const part of header[1].split(".")) {
        table[part] ??= {};
        table = table[part];
      }
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+)\s*=\s*(.*)$/.exec(line);
    if (!kv) throw new Error(`${where}: expected \`key = value\` or a [table] header`);
    let raw = kv[2];
    // An array may continue over several lines until its brackets balance.
    while (raw.startsWith("[") && !balanced(raw)) {
      if (++i >= lines.length) throw new Error(`${where}: unterminated array`);
      raw += " " + stripComment(lines[i]).trim();
    }
    if (Object.hasOwn(table, kv[1])) throw new Error(`${where}: duplicate key ${kv[1]}`);
    table[kv[1]] = parseValue(raw.trim(), where);
  }
  return root;
}

function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return line.slice(0, i);
  }
  return line;
}

function balanced(raw) {
  let depth = 0;
  let quote = null;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]") depth--;
  }
  return depth === 0;
}

function parseValue(raw, where) {
  if (raw.startsWith("[")) {
    if (!raw.endsWith("]")) throw new Error(`${where}: expected ] at the end of the array`);
    return splitItems(raw.slice(1, -1)).map((item) => parseValue(item, where));
  }
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) return JSON.parse(raw);
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return raw.slice(1, -1);
  if (raw === "true" || raw === "false") return raw === "true";
  if (/^[+-]?\d[\d_]*(\.\d+)?$/.test(raw)) return Number(raw.replaceAll("_", ""));
  throw new Error(`${where}: unsupported value ${raw}`);
}

function splitItems(body) {
  const items = [];
  let quote = null;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ",") {
      items.push(body.slice(start, i));
      start = i + 1;
    }
  }
  items.push(body.slice(start));
  return items.map((s) => s.trim()).filter((s) => s !== "");
}
