/** The canary report's Markdown text escaping: the one every report shares (reports/escape.ts). */
export { escapeMarkdown as plainMarkdown } from '../escape.js';
//# sourceMappingURL=markdown-text.js.map