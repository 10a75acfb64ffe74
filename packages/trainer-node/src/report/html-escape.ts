const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text from a run's files (config, notes, paths) as HTML text or attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON to put inside <script>: `<` becomes \u003c, so no `</script` or `<!--` in the data can end the element or
 * open an HTML comment; U+2028 and U+2029 are escaped too, for older JavaScript parsers. JSON.parse reads it back.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A script or style text inlined verbatim: a literal `</script` or `</style` inside it would end the element. */
export function inlineAsset(text: string, element: 'script' | 'style'): string {
  return text.replace(new RegExp(`</${element}`, 'gi'), `<\\/${element}`);
}
