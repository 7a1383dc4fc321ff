import { readFileSync } from 'node:fs';
import { isMap, isScalar, isPair, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError, explainIssues, formatPath, type FieldIssue, type SourceIssue } from './config-error.js';

/**
 * A parsed YAML file that remembers where every value came from, so validation
 * errors can name the file, line and column of the offending field.
 */
export class YamlSource {
  private readonly lines = new LineCounter();
  private readonly doc: Document;

  constructor(readonly file: string, text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lines, uniqueKeys: true, prettyErrors: false });
  }

  /** Reads and parses a file; a missing file is reported like any other input error. */
  static read(file: string): YamlSource {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
      throw new ConfigError([{ file, line: 0, column: 0, field: '', message: reason }]);
    }
    return new YamlSource(file, text);
  }

  /** YAML syntax errors (bad indentation, duplicate keys...), each with its position. */
  syntaxIssues(): SourceIssue[] {
    // After the first syntax error the parser is lost, and what follows is mostly its echo.
    return this.doc.errors.slice(0, 1).map((e) => {
      const pos = this.lines.linePos(e.pos[0]);
      return { file: this.file, line: pos.line, column: pos.col, field: '', message: e.message.split('\n')[0] ?? e.message };
    });
  }

  toJS(): unknown {
    return this.doc.toJS();
  }

  /**
   * Validates the document against a zod schema. Throws a ConfigError listing
   * every syntax and schema issue; returns the parsed value otherwise.
   */
  validate<S extends z.ZodType>(schema: S): z.output<S> {
    const syntax = this.syntaxIssues();
    if (syntax.length) throw new ConfigError(syntax);
    return this.validateData(schema, this.toJS());
  }

  /**
   * Validates data derived from this document (substituted, say) whose paths
   * still match the document's, so issues are placed in the file. `earlier`
   * holds issues found before the schema ran; all are thrown together.
   */
  validateData<S extends z.ZodType>(schema: S, data: unknown, earlier: readonly FieldIssue[] = []): z.output<S> {
    if (data === null || data === undefined) {
      throw new ConfigError([{ file: this.file, line: 1, column: 1, field: '', message: 'the file is empty' }]);
    }
    const result = schema.safeParse(data);
    // A field already reported (a `${name}` that could not be substituted) is not reported again by the schema.
    const seen = new Set(earlier.map((i) => formatPath(i.path)));
    const later = result.success ? [] : explainIssues(result.error.issues, data).filter((i) => !seen.has(formatPath(i.path)));
    const issues = [...earlier, ...later];
    if (issues.length) throw new ConfigError(issues.map((issue) => this.locate(issue)));
    return result.data as z.output<S>;
  }

  /** Places an explained issue in the file: unknown keys at the key, others at the value. */
  locate(issue: FieldIssue): SourceIssue {
    const key = issue.path[issue.path.length - 1];
    const at = issue.message === 'unknown field' && typeof key === 'string' ? this.positionOfKey(issue.path.slice(0, -1), key) : this.positionOf(issue.path);
    return { ...at, field: formatPath(issue.path), message: issue.message };
  }

  /** Position of the value at `path`, or of its nearest existing ancestor. */
  positionOf(path: readonly PropertyKey[]): Pick<SourceIssue, 'file' | 'line' | 'column'> {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true) as Node | undefined;
      if (node && typeof node === 'object' && 'range' in node && node.range) return this.at(node.range[0]);
    }
    return { file: this.file, line: 1, column: 1 };
  }

  private positionOfKey(path: readonly PropertyKey[], key: string): Pick<SourceIssue, 'file' | 'line' | 'column'> {
    const parent = path.length ? this.doc.getIn(path, true) : this.doc.contents;
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (pair && isScalar(pair.key) && pair.key.range) return this.at(pair.key.range[0]);
    }
    return this.positionOf(path);
  }

  private at(offset: number): Pick<SourceIssue, 'file' | 'line' | 'column'> {
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }
}

