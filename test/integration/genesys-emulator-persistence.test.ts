// State persistence across restarts, and the emulator as a separate process started from the command line
// (npm run emulator:genesys runs the same main.ts) and driven through /__emulator.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startGenesysEmulator } from '../../emulators/genesys';
import { NO_LAGS, RETAIL, call, createUser, getToken } from './genesys-emulator-helpers';

const ROOT = path.resolve(__dirname, '../..');

describe('Genesys emulator: persistence', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'genesys-emulator-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps users (active and deleted), grants, home divisions, added roles and tokens across a restart', async () => {
    const stateFile = path.join(dir, 'state.json');
    const first = await startGenesysEmulator({ ...NO_LAGS, stateFile });
    const token = await getToken(first.url);
    const kept = await createUser(first.url, token, {
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { division: 'E-Commerce' },
    });
    const gone = await createUser(first.url, token);
    const state = first.inspect(RETAIL.orgId);
    const supervisor = state.roles.find((r) => r.name === 'Supervisor')?.id ?? '';
    const overflow = state.divisions.find((d) => d.name === 'Holiday Overflow')?.id ?? '';
    expect(
      (
        await call(first.url, 'POST', `/api/v2/authorization/subjects/${kept.id}/bulkadd`, {
          token,
          body: { grants: [{ roleId: supervisor, divisionId: overflow }] },
        })
      ).status,
    ).toBe(204);
    expect((await call(first.url, 'DELETE', `/api/v2/scim/v2/users/${gone.id}`, { token })).status).toBe(204);
    const extraRole = first.addRole(RETAIL.orgId, 'Pop-up Store Agent');
    const before = first.inspect(RETAIL.orgId);
    await first.close();
    expect(existsSync(stateFile)).toBe(true);

    const second = await startGenesysEmulator({ ...NO_LAGS, stateFile, port: 0 });
    try {
      expect(second.inspect(RETAIL.orgId)).toEqual(before);
      const restored = second.inspect(RETAIL.orgId).users.find((u) => u.id === kept.id);
      expect(restored).toMatchObject({
        homeDivision: { name: 'E-Commerce' },
        grants: expect.arrayContaining([
          expect.objectContaining({ roleName: 'Supervisor', divisionName: 'Holiday Overflow' }),
        ]),
      });
      expect(second.inspect(RETAIL.orgId).users.find((u) => u.id === gone.id)).toMatchObject({ deleted: true });
      expect(second.inspect(RETAIL.orgId).roles).toContainEqual({
        id: extraRole,
        name: 'Pop-up Store Agent',
        default: false,
      });
      // The token issued before the restart is still good, and the userName index was rebuilt.
      const again = await call(second.url, 'POST', '/api/v2/scim/v2/users', {
        token,
        body: { userName: kept.userName, displayName: 'Dup' },
      });
      expect(again.status).toBe(409);
    } finally {
      await second.close();
    }
  });

  it('save() writes the state file on demand', async () => {
    const stateFile = path.join(dir, 'nested', 'state.json');
    const emulator = await startGenesysEmulator({ ...NO_LAGS, stateFile });
    try {
      const token = await getToken(emulator.url);
      const { id } = await createUser(emulator.url, token);
      await emulator.save();
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        format: string;
        orgs: Array<{ id: string; users: Array<{ id: string }> }>;
      };
      expect(saved.format).toBe('genesys-emulator-state/1');
      expect(saved.orgs.find((o) => o.id === RETAIL.orgId)?.users.map((u) => u.id)).toContain(id);
    } finally {
      await emulator.close();
    }
  });
});

describe('Genesys emulator: command line', () => {
  it('starts on the given port with --state, serves the API and /__emulator, and saves on SIGTERM', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'genesys-emulator-cli-'));
    const stateFile = path.join(dir, 'cli-state.json');
    // `node --import tsx` (one process) rather than the tsx CLI (which forks a child): nothing can be orphaned.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'emulators/genesys/main.ts'),
        '--port',
        '0',
        '--state',
        stateFile,
        '--rate-limit',
        '50',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
        child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}: ${out}`)));
      });
      expect((await call(url, 'GET', '/__emulator/health')).body).toEqual({ ok: true });
      const token = await getToken(url);
      const { id } = await createUser(url, token);
      const state = await call<{ users: Array<{ id: string }> }>(url, 'GET', `/__emulator/orgs/${RETAIL.orgId}/state`);
      expect(state.body.users.map((u) => u.id)).toContain(id);

      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as {
        orgs: Array<{ id: string; users: Array<{ id: string }> }>;
      };
      expect(saved.orgs.find((o) => o.id === RETAIL.orgId)?.users.map((u) => u.id)).toContain(id);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
