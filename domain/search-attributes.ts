// The custom search attributes that make every agent visible (and filterable) in the Temporal Web UI.
// Values are ids and phases only: never an email or a name (search attributes are stored in plain text).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrgIdKey = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
export const SeasonIdKey = defineSearchAttributeKey('SeasonId', SearchAttributeType.KEYWORD);
export const AgentPhaseKey = defineSearchAttributeKey('AgentPhase', SearchAttributeType.KEYWORD);
export const SeasonEndsAtKey = defineSearchAttributeKey('SeasonEndsAt', SearchAttributeType.DATETIME);

/** Name → type as the Temporal CLI's `--search-attribute NAME=Type` flag spells it. */
export const SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; cliType: 'Keyword' | 'Datetime' }> = [
  { name: OrgIdKey.name, cliType: 'Keyword' },
  { name: SeasonIdKey.name, cliType: 'Keyword' },
  { name: AgentPhaseKey.name, cliType: 'Keyword' },
  { name: SeasonEndsAtKey.name, cliType: 'Datetime' },
];
