// The workflow changes only the routing skills and languages the mapping gave: pure functions, no server.
import { isEmptyRouting, mergeOurRouting, sameRouting, type Routing } from '../../domain/routing';

const routing = (skills: Array<[string, number]>, languages: Array<[string, number]> = []): Routing => ({
  skills: skills.map(([name, proficiency]) => ({ name, proficiency })),
  languages: languages.map(([name, proficiency]) => ({ name, proficiency })),
});

describe('routing skills and languages the workflow owns', () => {
  it('compares by name and proficiency in any order', () => {
    expect(
      sameRouting(
        routing([
          ['A', 1],
          ['B', 2],
        ]),
        routing([
          ['B', 2],
          ['A', 1],
        ]),
      ),
    ).toBe(true);
    expect(sameRouting(routing([['A', 1]]), routing([['A', 2]]))).toBe(false);
    expect(sameRouting(routing([], [['English', 5]]), routing([['English', 5]]))).toBe(false);
    expect(isEmptyRouting(routing([]))).toBe(true);
    expect(isEmptyRouting(routing([], [['English', 5]]))).toBe(false);
  });

  it('a mover: what we gave and no longer map goes, the new mapping comes in, a hand-made skill stays', () => {
    const held = routing(
      [
        ['Store Orders', 2],
        ['Gift Cards', 1],
      ],
      [['English', 5]],
    );
    const given = routing([['Store Orders', 2]], [['English', 5]]);
    const wanted = routing(
      [['Online Orders', 3]],
      [
        ['English', 4],
        ['Spanish', 3],
      ],
    );
    expect(mergeOurRouting(held, given, wanted)).toEqual(
      routing(
        [
          ['Gift Cards', 1],
          ['Online Orders', 3],
        ],
        [
          ['English', 4],
          ['Spanish', 3],
        ],
      ),
    );
  });

  it('teardown gives nothing: only ours goes; a repair puts ours back at the mapped proficiency', () => {
    const held = routing([
      ['Store Orders', 1],
      ['Gift Cards', 4],
    ]);
    const ours = routing([['Store Orders', 2]]);
    expect(mergeOurRouting(held, ours, routing([]))).toEqual(routing([['Gift Cards', 4]]));
    expect(mergeOurRouting(held, ours, ours)).toEqual(
      routing([
        ['Gift Cards', 4],
        ['Store Orders', 2],
      ]),
    );
    // Nothing held yet (an adopted user): ours is added as is.
    expect(mergeOurRouting(routing([]), routing([]), ours)).toEqual(ours);
  });
});
