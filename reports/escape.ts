const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text from an experiment or journal, made safe for HTML and SVG text and attributes. */
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => HTML[c]!);

/**
 * Text that Markdown shows as it is, in a table cell or a paragraph: each
 * character GitHub would read as markup or HTML is backslash-escaped
 * (CommonMark allows it before any ASCII punctuation), so `<img onerror=x>`
 * shows as text, a `|` stays in its cell, and no HTML entity (`&quot;`)
 * shows up in the prose of a file people also read as plain text.
 */
export const escapeMarkdown = (value: unknown): string =>
  String(value ?? '')
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_[\]<>|&~])/g, '\\$1')
    .replace(/^#/, '\\#');
