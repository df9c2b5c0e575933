// The custom search attributes that make every agent visible (and filterable) in the Temporal Web UI.
// Values are ids and phases only: never an email or a name (search attributes are stored in plain text).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrgIdKey = defineSearchAttributeKey('OrgId', SearchAttributeType.KEYWORD);
export const SeasonIdKey = defineSearchAttributeKey('SeasonId', SearchAttributeType.KEYWORD);
export const AgentPhaseKey = defineSearchAttributeKey('AgentPhase', SearchAttributeType.KEYWORD);
export const SeasonEndsAtKey = defineSearchAttributeKey('SeasonEndsAt', SearchAttributeType.DATETIME);
/** Every season the person is (or was, in this workflow) enrolled in: `SeasonIds = "…"` lists a season's agents. */
export const SeasonIdsKey = defineSearchAttributeKey('SeasonIds', SearchAttributeType.KEYWORD_LIST);
/** `<seasonId>:<phase>` per enrolment: `SeasonPhases = "retail-holiday-2026:Active"` counts a season's phase. */
export const SeasonPhasesKey = defineSearchAttributeKey('SeasonPhases', SearchAttributeType.KEYWORD_LIST);

/** One value of SeasonPhases. Season ids are letters, digits and hyphens, so ':' cannot be part of one. */
export function seasonPhaseValue(seasonId: string, phase: string): string {
  return `${seasonId}:${phase}`;
}

/** Name → type as the Temporal CLI's `--search-attribute NAME=Type` flag spells it. */
export const SEARCH_ATTRIBUTES: ReadonlyArray<{
  name: string;
  type: SearchAttributeType;
  cliType: 'Keyword' | 'Datetime' | 'KeywordList';
}> = [
  { name: OrgIdKey.name, type: OrgIdKey.type, cliType: 'Keyword' },
  // SeasonId: kept for the per-season workflows of earlier versions (workflows/v1/) still running.
  { name: SeasonIdKey.name, type: SeasonIdKey.type, cliType: 'Keyword' },
  { name: AgentPhaseKey.name, type: AgentPhaseKey.type, cliType: 'Keyword' },
  { name: SeasonEndsAtKey.name, type: SeasonEndsAtKey.type, cliType: 'Datetime' },
  { name: SeasonIdsKey.name, type: SeasonIdsKey.type, cliType: 'KeywordList' },
  { name: SeasonPhasesKey.name, type: SeasonPhasesKey.type, cliType: 'KeywordList' },
];
