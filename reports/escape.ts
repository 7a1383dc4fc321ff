const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text from an experiment or journal, made safe for HTML and SVG text and attributes. */
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => HTML[c]!);

/**
 * Text made safe in a GitHub Markdown table cell or paragraph: no HTML
 * (GitHub would render it), no table breaks, no accidental emphasis or links.
 */
export const escapeMarkdown = (value: unknown): string =>
  escapeHtml(
    String(value ?? '')
      .replace(/\r?\n/g, ' ')
      .replace(/([\\`*_[\]|])/g, '\\$1')
      .replace(/^#/, '\\#'),
  );
