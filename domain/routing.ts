// Routing skills and languages as the workflow owns them: only what the mapping gave is ever changed. Pure and
// deterministic: the workflow (mover, teardown, audit repair) and the tests call these same functions.
import type { RoutingSkillRule } from './mapping';

/** A user's routing skills and languages, by name, with proficiency 0–5. */
export interface Routing {
  skills: RoutingSkillRule[];
  languages: RoutingSkillRule[];
}

export function isEmptyRouting(routing: Routing): boolean {
  return routing.skills.length === 0 && routing.languages.length === 0;
}

/** The same names at the same proficiencies, in any order. */
export function sameRouting(a: Routing, b: Routing): boolean {
  const key = (list: RoutingSkillRule[]) =>
    list
      .map((p) => `${p.name}\u0000${p.proficiency}`)
      .sort()
      .join('\u0001');
  return key(a.skills) === key(b.skills) && key(a.languages) === key(b.languages);
}

/**
 * What the user should hold: what it holds, less what we gave (`given`) and any name we want now, plus what we
 * want now (`wanted`) at its proficiency. A skill an admin added by hand stays; one we gave and no longer map goes.
 */
export function mergeOurRouting(held: Routing, given: Routing, wanted: Routing): Routing {
  const merge = (h: RoutingSkillRule[], g: RoutingSkillRule[], w: RoutingSkillRule[]) => {
    const ours = new Set([...g, ...w].map((p) => p.name));
    return [...h.filter((p) => !ours.has(p.name)), ...w].map((p) => ({ name: p.name, proficiency: p.proficiency }));
  };
  return {
    skills: merge(held.skills, given.skills, wanted.skills),
    languages: merge(held.languages, given.languages, wanted.languages),
  };
}
