// The starters' name resolution against the Genesys emulator: ids for the names a season maps, nothing for
// names the org lacks (the workflow then looks them up itself), and new roles after a refresh.
import { startGenesysEmulator, GenesysEmulator } from '../../emulators/genesys';
import { GenesysClient } from '../../integrations/genesys';
import { startNameResolver } from '../../operations/name-resolver';
import type { SeasonConfig } from '../../config/types';
import { retailMapping, teardownAtOnce } from '../support/agents';

let emulator: GenesysEmulator;
beforeAll(async () => {
  emulator = await startGenesysEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator?.close();
});

const season: SeasonConfig = {
  id: 'resolver-season',
  orgId: 'retail-us',
  startsAt: '2026-11-01T00:00:00Z',
  endsAt: '2027-01-10T00:00:00Z',
  timeZone: 'UTC',
  dormantAfterDays: 7,
  policy: teardownAtOnce,
  mapping: {
    rules: [
      ...retailMapping.rules,
      {
        group: 'Retail-Holiday-Supervisors',
        homeDivision: 'Retail Stores',
        roles: [{ role: 'Holiday Lead', divisions: ['*'] }],
      },
    ],
  },
};

const retailClient = () =>
  GenesysClient.fromConnection({
    apiBaseUrl: emulator.url,
    loginBaseUrl: emulator.url,
    clientId: 'retail-us-provisioner',
    clientSecret: 'emulator-retail-us-secret',
    requestsPerMinute: 300,
  });

it('resolves the mapped names the org has, omits the others, and learns new roles on refresh', async () => {
  const client = retailClient();
  const resolver = startNameResolver({
    seasons: () => [season],
    genesys: (orgId) => (orgId === 'retail-us' ? client : undefined),
  });
  try {
    expect(resolver.resolved(season.id)).toBeUndefined(); // nothing read yet
    await resolver.refresh();
    const { roles, divisions } = emulator.inspect('retail-us');
    const id = (list: Array<{ id: string; name: string }>, name: string) => list.find((x) => x.name === name)!.id;
    const first = resolver.resolved(season.id)!;
    expect(first.roles).toEqual({
      'Seasonal Agents': id(roles, 'Seasonal Agents'),
      'Voice Agent': id(roles, 'Voice Agent'),
      'Chat Agent': id(roles, 'Chat Agent'),
    });
    expect(first.divisions).toEqual({
      Home: id(divisions, 'Home'),
      'Retail Stores': id(divisions, 'Retail Stores'),
      'Holiday Overflow': id(divisions, 'Holiday Overflow'),
      'E-Commerce': id(divisions, 'E-Commerce'),
    });

    const lead = emulator.addRole('retail-us', 'Holiday Lead');
    expect(resolver.resolved(season.id)!.roles['Holiday Lead']).toBeUndefined();
    await resolver.refresh();
    expect(resolver.resolved(season.id)!.roles['Holiday Lead']).toBe(lead);
    expect(resolver.resolved('another-season')).toBeUndefined();
  } finally {
    resolver.stop();
  }
});

it('on demand (a worker), reads the catalog only when asked and stale, once for concurrent callers', async () => {
  const client = retailClient();
  const catalogReads = () => {
    const { byEndpoint } = emulator.requestCounts().totals;
    const ok = (endpoint: string) => byEndpoint[endpoint]?.[200] ?? 0;
    return ok('GET /api/v2/authorization/roles') + ok('GET /api/v2/authorization/divisions');
  };
  const before = catalogReads();
  const resolver = startNameResolver({
    seasons: () => [season],
    genesys: (orgId) => (orgId === 'retail-us' ? client : undefined),
    mode: 'on-demand',
    refreshMs: 60_000,
  });
  try {
    expect(resolver.resolved(season.id)).toBeUndefined();
    expect(catalogReads()).toBe(before); // nothing read at start, nor in the background
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => resolver.resolvedFresh(season.id)));
    expect(catalogReads()).toBe(before + 2); // one read of roles and one of divisions for the three callers
    expect(a!.roles['Voice Agent']).toBe(emulator.inspect('retail-us').roles.find((r) => r.name === 'Voice Agent')!.id);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    await resolver.resolvedFresh(season.id);
    expect(catalogReads()).toBe(before + 2); // still fresh: no second read within refreshMs
  } finally {
    resolver.stop();
  }
});
