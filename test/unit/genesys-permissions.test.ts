// The one permission table: what each use needs, wildcards as Genesys's roles hold them, the README's minimal role
// generated from it, preflight naming a missing permission, and a 403 at run time naming the call's permission.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { toTemporalFailure } from '../../activities/genesys-failures';
import { preflight } from '../../domain/preflight';
import { GenesysApiError } from '../../integrations/genesys';
import {
  GENESYS_CALLS,
  grants,
  missingPermissions,
  permissionsOf,
  requiredPermissions,
  usesOfMapping,
} from '../../integrations/genesys/permissions';
import { withMinimalRole } from '../../scripts/readme-permissions';
import type { SeasonMapping } from '../../domain/mapping';

const voiceOnly: SeasonMapping = {
  rules: [
    { group: 'Agents', roles: [{ role: 'Agent', divisions: ['Home'] }], skills: [{ name: 'S', proficiency: 1 }] },
  ],
};

describe('the Genesys permission table', () => {
  it('names every permission a use needs, and only those', () => {
    const uses = usesOfMapping(voiceOnly);
    expect(uses).toEqual(['users', 'checks', 'roles', 'skills']);
    const names = requiredPermissions(uses).map((p) => p.permission);
    expect(names).toEqual(
      expect.arrayContaining(['directory:user:add', 'authorization:grant:add', 'routing:skill:assign']),
    );
    expect(names).not.toContain('routing:queueMember:manage');
    expect(names).not.toContain('routing:language:assign');
    const withQueues = requiredPermissions([...uses, 'queues']).find(
      (p) => p.permission === 'routing:queueMember:manage',
    );
    expect(withQueues).toMatchObject({
      uses: ['queues'],
      operations: ['POST /api/v2/routing/queues/{queueId}/members'],
    });
  });

  it('has a row for every call of the client, each with a METHOD and a path', () => {
    for (const [method, rows] of Object.entries(GENESYS_CALLS)) {
      expect(rows.length).toBeGreaterThan(0);
      for (const r of rows) expect(r.operation).toMatch(/^(GET|POST|PATCH|PUT|DELETE) \/api\/v2\//);
      expect(method).not.toBe('');
    }
  });

  it('matches held permissions with wildcards segment by segment', () => {
    expect(grants('routing:*:*', 'routing:queueMember:manage')).toBe(true);
    expect(grants('*:*:*', 'directory:user:add')).toBe(false);
    expect(grants('directory:user:*', 'directory:user:add')).toBe(true);
    expect(grants('routing:queue:*', 'routing:queueMember:manage')).toBe(false);
    expect(grants('directory:user', 'directory:user:add')).toBe(false);
    const needed = requiredPermissions(['users']);
    expect(missingPermissions(['directory:*:*'], needed)).toEqual([]);
    expect(missingPermissions(['directory:user:add'], needed).map((p) => p.permission)).toEqual([
      'directory:user:view',
      'directory:user:edit',
      'directory:user:delete',
    ]);
  });

  it("is the README's minimal role, as scripts/readme-permissions.ts writes it", () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    // Run `npx tsx scripts/readme-permissions.ts` after changing the table.
    expect(withMinimalRole(readme)).toBe(readme);
  });

  it('makes preflight fail naming the permission and what needs it, before any write', () => {
    const report = preflight({
      seasonId: 's',
      orgId: 'o',
      mapping: voiceOnly,
      catalog: {
        roles: [{ id: 'r', name: 'Agent' }],
        divisions: [{ id: 'd', name: 'Home' }],
        skills: [{ id: 'k', name: 'S' }],
        languages: [],
        queues: [],
      },
      permissions: { clientId: 'c', missing: [{ permission: 'routing:skill:assign', neededFor: 'mapping `skills:`' }] },
    });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        field: 'permission',
        name: 'routing:skill:assign',
        message:
          'the Genesys OAuth client "c" lacks the permission routing:skill:assign (needed for mapping `skills:`): add it to the client\'s role',
      }),
    ]);
  });

  it('turns a 403 into a non-retryable failure naming the permission of the call', () => {
    const err = new GenesysApiError({
      kind: 'Forbidden',
      operation: 'POST /api/v2/routing/queues/{queueId}/members',
      status: 403,
      code: 'missing.permissions',
    });
    const f = toTemporalFailure(err, { attempt: 1, notFound: 'final' }) as ApplicationFailure;
    expect(f.type).toBe('GenesysForbidden');
    expect(f.nonRetryable).toBe(true);
    expect(f.message).toContain(
      'lacks the permission routing:queueMember:manage for POST /api/v2/routing/queues/{queueId}/members',
    );
    expect(permissionsOf('GET /api/v2/scim/v2/users')).toEqual(['directory:user:view']);
    expect(permissionsOf('GET /api/v2/routing/skills')).toEqual([]);
  });
});
