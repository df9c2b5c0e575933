// Config and roster problems quote what the admin wrote (a key, a value, a column name) and end up on one
// terminal line or in CI logs. A control character, a line break or a bidi override in that text would split
// the line, move the cursor or reorder what is shown; printable() spells such characters as \u escapes instead.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
