import { bestUserNameMatch } from '../../domain/user-match';
import { durationMs, timestampMs } from '../../platform/durations';

describe('bestUserNameMatch (the user the workflow adopts, and the CLI predicts)', () => {
  const u = (userName: string, active: boolean, id = userName) => ({ id, userName, active });

  it('prefers the exact, active match, then an active one, then the first', () => {
    expect(bestUserNameMatch([u('ANN', true, 'a'), u('ann', true, 'b')], 'ann')?.id).toBe('b');
    expect(bestUserNameMatch([u('ann', false, 'a'), u('ANN', true, 'b')], 'ann')?.id).toBe('b');
    expect(bestUserNameMatch([u('ann', false, 'a'), u('Ann', false, 'b')], 'ann')?.id).toBe('a');
  });

  it('ignores users whose userName differs beyond case, and finds none in an empty list', () => {
    expect(bestUserNameMatch([u('anna', true)], 'ann')).toBeUndefined();
    expect(bestUserNameMatch([], 'ann')).toBeUndefined();
  });
});

describe('durationMs (Temporal duration strings, without the SDK internals)', () => {
  it.each([
    [90_000, 90_000],
    ['5m', 300_000],
    ['5 minutes', 300_000],
    ['1h', 3_600_000],
    ['1.5h', 5_400_000],
    ['2 days', 172_800_000],
    ['250', 250],
    ['10s', 10_000],
  ] as const)('%s is %d ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 fortnights', '5m later'])('rejects %j', (text) => {
    expect(() => durationMs(text)).toThrow(TypeError);
  });

  it('reads protobuf timestamps (seconds may be a Long)', () => {
    expect(timestampMs({ seconds: 2, nanos: 345_000_000 })).toBe(2345);
    expect(timestampMs({ seconds: { toString: () => '3' }, nanos: null })).toBe(3000);
    expect(() => timestampMs(null)).toThrow(TypeError);
  });
});
