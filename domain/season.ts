// The shape of a season that domain logic and the starters need. The configuration loader (config/) produces it;
// config's SeasonConfig is this plus what only the loader and the CLI use.
import type { DeprovisionPolicy } from './agent';
import type { SeasonMapping } from './mapping';

export interface SeasonShape {
  id: string;
  orgId: string;
  /** ISO-8601 instant. */
  endsAt: string;
  policy: DeprovisionPolicy;
  mapping: SeasonMapping;
}
