// The season's mapping: which Okta groups give which Genesys entitlements. Names, not ids: the mapping is
// written by an admin and resolved against the org (preflight, and the workflow when it provisions).
// Plain data types shared by the config loader, the CLI's plan and the workflow.

/** `*` grants the role in every division of the org (Genesys's own wildcard in bulkadd). */
export const ALL_DIVISIONS = '*';

export interface RoleGrantRule {
  /** Genesys role name, exactly as the org spells it (preflight suggests the closest when it does not). */
  role: string;
  /** Genesys division names, or ['*'] for all divisions. */
  divisions: string[];
}

export interface RoutingSkillRule {
  name: string;
  /** Genesys proficiency 0–5. */
  proficiency: number;
}

export interface GroupRule {
  /** Okta group name or id (00g…). */
  group: string;
  /** Genesys home division name for members of this group. */
  homeDivision?: string;
  roles: RoleGrantRule[];
  skills?: RoutingSkillRule[];
  languages?: RoutingSkillRule[];
  /** Genesys queue names the members of this group join (agents of one wave share them). */
  queues?: string[];
  /** Higher wins when two groups name different home divisions; ties go to the rule listed first. */
  priority?: number;
}

export interface SeasonMapping {
  rules: GroupRule[];
  /** Home division when no group names one. Genesys's own default is "Home". */
  defaultHomeDivision?: string;
}

/** One role in one division: Genesys grants are (roleId, divisionId) pairs, named here. */
export interface NamedGrant {
  role: string;
  division: string;
}

export interface Entitlements {
  homeDivision: string;
  grants: NamedGrant[];
  skills: RoutingSkillRule[];
  languages: RoutingSkillRule[];
  /** Queue names, sorted. */
  queues: string[];
  /** Okta groups (as given) that matched a rule. Empty: the agent has no seasonal entitlement left. */
  matchedGroups: string[];
  /** Human-readable notes on conflicts the priority rule decided, for the workflow state and the plan. */
  conflicts: string[];
}

/** An Okta group as the workflow knows it: id always, name when known (hooks and the API give both). */
export interface OktaGroupRef {
  id: string;
  name?: string;
}
