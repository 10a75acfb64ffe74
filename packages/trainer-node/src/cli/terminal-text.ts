/**
 * Strings read from a file (a checkpoint's note or variant, a tensor name, an error quoting either) must not drive the
 * terminal: ESC starts clear-screen and OSC title sequences, `\r` rewrites the line a user reads, C1 bytes (U+0080 to
 * U+009F) are 8-bit escapes on some terminals (ECMA-48 §5.3). `oneLine` writes every C0 control (newline included,
 * so a field stays on its line), DEL and every C1 control as a visible `\x1b`-style escape; all else passes as is.
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** A copy of `value` (plain data: objects, arrays, strings, numbers) with every string as `oneLine` writes it. */
export function printableStrings<T>(value: T): T {
  if (typeof value === 'string') return oneLine(value) as T;
  if (Array.isArray(value)) return value.map(printableStrings) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [oneLine(k), printableStrings(v)])) as T;
  }
  return value;
}

/**
 * JSON for a terminal or a pipe: JSON.stringify already escapes C0 controls; DEL and C1 controls it leaves raw, so
 * they become `\u007f`-style escapes too (still the same JSON value).
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
