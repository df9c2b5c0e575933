import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkRosterAgainstSeason, parseRoster, ROSTER_COLUMNS } from '../../config/load-roster';
import { findSeason, loadConfig } from '../../config/load';

const HEADER = ROSTER_COLUMNS.join(',');
const CONFIG = path.resolve(__dirname, '../../config');

describe('parseRoster', () => {
  it('reads the example roster: identities, optional employee number, semicolon-separated groups', () => {
    const text = readFileSync(path.join(CONFIG, 'rosters/retail-holiday-2026.csv'), 'utf8');
    const roster = parseRoster(text, 'retail-holiday-2026.csv');
    expect(roster.problems).toEqual([]);
    expect(roster.rows).toHaveLength(6);
    const drew = roster.rows.find((r) => r.agent.oktaUserId === '00u1hol1day0agent004')!;
    expect(drew.line).toBe(5);
    expect(drew.groups).toEqual(['Retail-Holiday-Agents', 'Retail-Holiday-Chat']);
    expect(drew.agent.employeeNumber).toBeUndefined();
    expect(roster.rows[5]!.agent.familyName).toBe("O'Neil-Seasonal");
  });

  it('reports every bad row with its line, and never repeats an email or a name', () => {
    const text = [
      HEADER,
      '00uGOOD00000000001,ok1@x.example,ok1@x.example,Ok,One,,G1',
      '00uBAD,bad1@x.example,not-an-email,Secret Name,One,,G1',
      '00u has space,ok2@x.example,ok2@x.example,Ok,Two,,G1',
      '00uGOOD00000000003,ok3@x.example,ok3@x.example,,Three,,',
      '00uGOOD00000000001,ok4@x.example,ok4@x.example,Ok,Four,,G1',
      '00uGOOD00000000005,OK1@x.example,ok5@x.example,Ok,Five,,G1',
      '00uGOOD00000000006,ok6@x.example,ok6@x.example,Ok,Six,,G1,surplus',
      '',
      '00uGOOD00000000007,"ok7@x.example",ok7@x.example,"Seven, Jr",Seven,E7," G1 ; G2 ;"',
    ].join('\n');
    const roster = parseRoster(text, 'r.csv');
    expect(roster.problems).toEqual([
      { line: 3, message: 'email is not a valid email address' },
      { line: 4, message: expect.stringMatching(/^oktaUserId must be an Okta user id/) },
      { line: 5, message: 'givenName must not be empty' },
      { line: 5, message: expect.stringMatching(/^groups must name at least one Okta group/) },
      { line: 6, message: 'oktaUserId 00uGOOD00000000001 already appears on line 2' },
      { line: 7, message: 'login already appears on line 2' },
      { line: 8, message: expect.stringMatching(/^has 8 cells, the header has 7/) },
    ]);
    expect(JSON.stringify(roster.problems)).not.toMatch(/not-an-email|Secret Name|x\.example/);
    expect(roster.rows.map((r) => [r.line, r.agent.oktaUserId])).toEqual([
      [2, '00uGOOD00000000001'],
      [10, '00uGOOD00000000007'],
    ]);
    expect(roster.rows[1]!.groups).toEqual(['G1', 'G2']);
    expect(roster.rows[1]!.agent).toMatchObject({ givenName: 'Seven, Jr', employeeNumber: 'E7' });
  });

  it('checks the header: unknown and missing columns, with the closest name', () => {
    const roster = parseRoster('oktaUserId,login,email,firstName,familyName,group\n00u1,a,a@b.c,A,B,G', 'r.csv');
    expect(roster.rows).toEqual([]);
    expect(roster.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      expect.stringMatching(/^1: unknown column "firstName"/),
      expect.stringMatching(/^1: unknown column "group" — did you mean "groups"\?/),
      expect.stringMatching(/^1: missing column "givenName"/),
      expect.stringMatching(/^1: missing column "groups"/),
    ]);
  });

  it('accepts a header without the optional employeeNumber, and reports broken CSV by line', () => {
    const noEmployee = parseRoster(
      'oktaUserId,login,email,givenName,familyName,groups\n00u1abc,a,a@b.example,A,B,G',
      'r.csv',
    );
    expect(noEmployee.problems).toEqual([]);
    expect(noEmployee.rows).toHaveLength(1);
    const broken = parseRoster(`${HEADER}\n00u1abc,a,a@b.example,A,B,,G\n00u2abc,"b,b@b.example,B,B,,G\n`, 'r.csv');
    expect(broken.problems).toEqual([{ line: expect.any(Number), message: expect.stringMatching(/^not valid CSV/) }]);
    expect(parseRoster('', 'r.csv').problems[0]!.message).toMatch(/^the roster is empty/);
  });
});

describe('checkRosterAgainstSeason', () => {
  it('flags rows whose groups the season does not map, with the closest mapped group', () => {
    const { season } = findSeason(loadConfig(CONFIG), 'retail-holiday-2026');
    const roster = parseRoster(
      [
        HEADER,
        '00u1abc,a,a@b.example,A,B,,Retail-Holiday-Agents',
        '00u2abc,b,b@b.example,A,B,,retail holiday agents',
        '00u3abc,c,c@b.example,A,B,,Marketing',
      ].join('\n'),
      'r.csv',
    );
    expect(checkRosterAgainstSeason(roster, season)).toEqual([
      {
        line: 3,
        message:
          'none of its groups ("retail holiday agents") is mapped by season retail-holiday-2026 — did you mean "Retail-Holiday-Agents"?',
      },
      {
        line: 4,
        message: expect.stringContaining(
          '(mapped: Retail-Holiday-Agents, Retail-Holiday-Chat, Retail-Holiday-Supervisors)',
        ),
      },
    ]);
  });
});
