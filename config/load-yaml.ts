// A YAML file parsed with its positions kept, so every config problem can name the line it is on.
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { printable } from './printable';
import type { ConfigPath } from './schema-errors';

export interface ConfigProblem {
  file: string;
  line?: number;
  /** Human path such as mapping[0].roles[1].divisions, or '' for the whole file. */
  path: string;
  message: string;
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/**
 * A map key as the YAML → JS conversion names it (and so as zod's path shows it): a scalar by its text (a null
 * key as ''), a collection by its flow form. Matching on the raw value missed `5:` or `~:` keys, and so their line.
 */
function keyName(key: unknown): string | undefined {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  return isNode(key) ? String(key) : undefined;
}

export class YamlSource {
  readonly data: unknown;
  readonly syntaxProblems: ConfigProblem[];
  private readonly doc: Document;
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    this.syntaxProblems = this.doc.errors.map((e) => ({
      file,
      line: this.lines.linePos(e.pos[0]).line,
      path: '',
      message: `not valid YAML: ${printable(e.message.split('\n')[0]!)}`,
    }));
    this.data = this.syntaxProblems.length === 0 ? this.toData() : undefined;
  }

  /**
   * The parser accepts an alias to no anchor (`*a`) and alias bombs; only the conversion to JS refuses them, by
   * throwing. Both are the file's fault: they become syntax problems, at the first unresolvable alias's line.
   */
  private toData(): unknown {
    try {
      return this.doc.toJS();
    } catch (err) {
      let line = 1;
      visit(this.doc, {
        Alias: (_, node) => {
          if (node.range && !node.resolve(this.doc)) {
            line = this.lines.linePos(node.range[0]).line;
            return visit.BREAK;
          }
          return undefined;
        },
      });
      const reason = err instanceof Error ? err.message.split('\n')[0]! : 'unreadable';
      this.syntaxProblems.push({ file: this.file, line, path: '', message: `not valid YAML: ${printable(reason)}` });
      return undefined;
    }
  }

  /**
   * The line of the value at `path`. For a key, the line of the key itself (a nested block starts below it);
   * for a missing key, the line of the closest enclosing value that exists.
   */
  lineOf(path: ConfigPath): number | undefined {
    for (let n = path.length; n > 0; n--) {
      const parent: unknown = n === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, n - 1), true);
      const last = path[n - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => keyName(p.key) === last);
        if (pair && isNode(pair.key) && pair.key.range) return this.lines.linePos(pair.key.range[0]).line;
      } else if (isSeq(parent) && typeof last === 'number') {
        const item: unknown = parent.items[last];
        if (isNode(item) && item.range) return this.lines.linePos(item.range[0]).line;
      }
    }
    const root = this.doc.contents;
    return isNode(root) && root.range ? this.lines.linePos(root.range[0]).line : undefined;
  }
}
