// Maps the server's field names in validation errors to antd form paths.

export type FieldPath = (string | number)[];

/** "items[0].quantity" → ["items", 0, "quantity"]; "price" → ["price"]. */
export function fieldPath(field: string): FieldPath {
  const path: FieldPath = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      path.push(part);
      continue;
    }
    if (m[1]) path.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return path;
}

/** The message without the "field: " prefix the server puts in front of validation errors. */
export function stripFieldPrefix(message: string, field: string): string {
  const prefix = `${field}: `;
  return message.startsWith(prefix) ? message.slice(prefix.length) : message;
}
