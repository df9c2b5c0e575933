// `npx tsx scripts/readme-permissions.ts`: writes the Genesys OAuth client's minimal role into README.md's go-live
// guide, from the one permission table (integrations/genesys/permissions.ts). A unit test fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minimalRoleMarkdown } from '../integrations/genesys/permissions';

export const START = '<!-- minimal-role:start (scripts/readme-permissions.ts writes this table) -->';
export const END = '<!-- minimal-role:end -->';

export function withMinimalRole(readme: string): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${START} … ${END} markers`);
  return `${readme.slice(0, from + START.length)}\n${minimalRoleMarkdown()}\n${readme.slice(to)}`;
}

if (require.main === module) {
  const file = path.resolve(__dirname, '..', 'README.md');
  writeFileSync(file, withMinimalRole(readFileSync(file, 'utf8')));
}
