// Pieces of the Genesys emulator that are easiest to pin down without HTTP: the rolling rate-limit window,
// the SCIM filter subset, and the seeded fault generator.
import { ScimError } from '../../emulators/genesys/errors';
import { FaultInjector } from '../../emulators/genesys/faults';
import { loadFixture } from '../../emulators/genesys/fixture';
import { RollingRateLimiter } from '../../emulators/genesys/rate-limiter';
import { parseUserFilter } from '../../emulators/genesys/scim/filter';

describe('RollingRateLimiter', () => {
  it('accepts the limit per rolling window and says when the next slot frees', () => {
    const limiter = new RollingRateLimiter(3, 1000);
    expect([0, 100, 200].map((t) => limiter.take('c', t).allowed)).toEqual([true, true, true]);
    expect(limiter.take('c', 300)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Rolling, not fixed: at t=1000 only the slot taken at t=0 is free again.
    expect(limiter.take('c', 1000).allowed).toBe(true);
    expect(limiter.take('c', 1050).allowed).toBe(false);
    expect(limiter.take('other', 1050).allowed).toBe(true);
  });

  it('rounds Retry-After up to whole seconds and never below 1', () => {
    const limiter = new RollingRateLimiter(1, 60_000);
    limiter.take('c', 0);
    expect(limiter.take('c', 500)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(limiter.take('c', 59_999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('does not log rejected requests, and applies a lowered limit at once', () => {
    const limiter = new RollingRateLimiter(2, 1000);
    limiter.take('c', 0);
    limiter.take('c', 10);
    for (let t = 20; t < 900; t += 10) limiter.take('c', t);
    expect(limiter.take('c', 1011).allowed).toBe(true);
    limiter.configure(1);
    expect(limiter.take('c', 1012).allowed).toBe(false);
  });
});

describe('parseUserFilter', () => {
  it('reads the documented eq filters, quoted or bare, short or URN-qualified', () => {
    expect(parseUserFilter('userName eq "a@b.c"')).toEqual({
      kind: 'compare',
      comparison: { attribute: 'username', value: 'a@b.c' },
    });
    expect(parseUserFilter('userName eq a@b.c')).toEqual({
      kind: 'compare',
      comparison: { attribute: 'username', value: 'a@b.c' },
    });
    expect(parseUserFilter('externalId eq 167844')).toEqual({
      kind: 'compare',
      comparison: { attribute: 'externalid', value: '167844' },
    });
    expect(parseUserFilter('active eq false')).toEqual({
      kind: 'compare',
      comparison: { attribute: 'active', value: 'false' },
    });
    expect(parseUserFilter('division eq Holiday Overflow')).toEqual({
      kind: 'compare',
      comparison: { attribute: 'division', value: 'Holiday Overflow' },
    });
    expect(parseUserFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "9"')).toEqual(
      {
        kind: 'compare',
        comparison: { attribute: 'employeenumber', value: '9' },
      },
    );
    expect(
      parseUserFilter(
        'urn:ietf:params:scim:schemas:extension:genesys:purecloud:2.0:User:externalIds[authority eq "okta" and value eq "00u1"]',
      ),
    ).toEqual({
      kind: 'externalIds',
      authority: 'okta',
      value: '00u1',
    });
  });

  it.each([
    'userName co "a"',
    'userName ne "a"',
    'displayName eq "a"',
    'not (userName eq "a")',
    'userName eq "a" or active eq true',
    'emails[type eq "work"]',
    'userName eq',
  ])('rejects %s with invalidFilter', (filter) => {
    let caught: unknown;
    try {
      parseUserFilter(filter);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ScimError);
    expect((caught as ScimError).body()).toMatchObject({ status: '400', scimType: 'invalidFilter' });
  });
});

describe('FaultInjector', () => {
  it('gives the same decisions for the same seed and request order', () => {
    const run = (seed: number) => {
      const faults = new FaultInjector({ errorRate: 0.3, dropRate: 0.3, latencyJitterMs: 50 }, seed);
      return Array.from({ length: 50 }, (_v, i) => faults.decide(i % 2 === 0));
    };
    expect(run(11)).toEqual(run(11));
    expect(run(11)).not.toEqual(run(12));
    const kinds = run(11).map((d) => (d.kind === 'pass' && d.dropAfterCommit ? 'drop' : d.kind));
    expect(new Set(kinds)).toEqual(new Set(['pass', 'error', 'drop']));
  });

  it('counts down forced 429s and validates its settings', () => {
    const faults = new FaultInjector({ throttleNext: 2, throttleRetryAfterSeconds: 9 });
    expect(faults.decide(false)).toEqual({ kind: 'throttle', retryAfterSeconds: 9 });
    expect(faults.decide(false).kind).toBe('throttle');
    expect(faults.decide(false).kind).toBe('pass');
    expect(() => faults.update({ errorRate: 1.5 })).toThrow(/errorRate/);
    expect(() => faults.update({ errorStatuses: [404] })).toThrow(/5xx/);
  });
});

describe('the shipped orgs fixture', () => {
  // Other engineers' config files name these orgs, clients, divisions and roles: they must not drift.
  it('has exactly the agreed orgs, credentials, divisions and roles, with UUID ids', () => {
    const fixture = loadFixture(undefined);
    const summary = fixture.orgs.map((o) => ({
      id: o.id,
      clients: o.clients.map((c) => [c.clientId, c.clientSecret]),
      divisions: o.divisions.map((d) => d.name),
      roles: o.roles.map((r) => r.name),
    }));
    expect(summary).toEqual([
      {
        id: 'retail-us',
        clients: [['retail-us-provisioner', 'emulator-retail-us-secret']],
        divisions: [
          'Home',
          'Retail Stores',
          'E-Commerce',
          'Returns & Exchanges',
          'Holiday Overflow',
          'Quality Assurance',
        ],
        roles: [
          'employee',
          'Seasonal Agents',
          'Voice Agent',
          'Chat Agent',
          'Email Agent',
          'Supervisor',
          'Quality Evaluator',
          'Workforce Viewer',
          'Reporting Viewer',
          'Trainer',
          'Seasonal Provisioner',
        ],
      },
      {
        id: 'outlet-eu',
        clients: [['outlet-eu-provisioner', 'emulator-outlet-eu-secret']],
        divisions: ['Home', 'Outlet Stores', 'Customer Care'],
        roles: ['employee', 'Agent', 'Supervisor', 'Seasonal Provisioner'],
      },
    ]);
    expect(
      fixture.orgs.every(
        (o) =>
          o.divisions
            .filter((d) => d.home)
            .map((d) => d.name)
            .join() === 'Home',
      ),
    ).toBe(true);
  });

  it('rejects a fixture with a dangling reference', () => {
    const broken = {
      orgs: [
        {
          id: 'x',
          name: 'X',
          clients: [{ clientId: 'x', clientSecret: 'y' }],
          divisions: [{ id: '11111111-1111-4111-8111-111111111111', name: 'Home', home: true }],
          roles: [],
          users: [
            {
              id: '22222222-2222-4222-8222-222222222222',
              userName: 'u@x',
              displayName: 'U',
              grants: [{ role: 'Ghost', division: 'Home' }],
            },
          ],
        },
      ],
    };
    expect(() => loadFixture(broken)).toThrow(/unknown role Ghost/);
  });
});
