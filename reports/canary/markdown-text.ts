/**
 * Text that Markdown shows as it is: each character GitHub would read as
 * markup or HTML is backslash-escaped (CommonMark allows it before any
 * ASCII punctuation), so `<img onerror=x>` shows as text, a `|` stays in
 * its table cell, and no HTML entity (`&quot;`) shows up in the prose.
 */
export const plainMarkdown = (value: unknown): string =>
  String(value ?? '')
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_[\]<>|&~])/g, '\\$1')
    .replace(/^#/, '\\#');
