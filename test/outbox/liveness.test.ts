import { describe, expect, it } from 'vitest';
import { loopHealth, stallAfterMs } from '../../lib/outbox/liveness';

/**
 * The worker's "stalled" judgement (issue 18 §5) on a pinned clock: stalled means the loop owes a
 * turn and has not taken it for longer than the limit, not merely that it has been quiet.
 */
const now = Date.now();
const poll = 1000;
const limit = stallAfterMs(poll); // 30 s
const secondsAgo = (s: number) => now - s * 1000;
const inSeconds = (s: number) => now + s * 1000;

describe('loopHealth', () => {
  it('ok while the loop turns', () => {
    expect(loopHealth({ heartbeat: secondsAgo(1) }, poll, now)).toEqual({ status: 'ok', idleMs: 1000 });
    expect(loopHealth({ heartbeat: now - limit }, poll, now).status).toBe('ok');
  });

  it('stalled when it has not turned for longer than the limit and owed a turn', () => {
    expect(loopHealth({ heartbeat: now - limit - 1 }, poll, now)).toEqual({ status: 'stalled', idleMs: limit + 1 });
    expect(loopHealth({ heartbeat: secondsAgo(120), brokerOutage: null }, poll, now).status).toBe('stalled');
  });

  it('degraded, not stalled, while it sleeps out the broker backoff: 36 s (30 s + 20 %) without a turn', () => {
    const outage = { since: secondsAgo(70), error: 'connect ECONNREFUSED 127.0.0.1:5672', retryAt: inSeconds(1) };
    expect(loopHealth({ heartbeat: secondsAgo(35), brokerOutage: outage }, poll, now)).toEqual({ status: 'degraded', reason: 'broker unreachable', idleMs: 35_000 });
    // Right after the backoff ended the next attempt is due, and the limit counts from then.
    expect(loopHealth({ heartbeat: secondsAgo(60), brokerOutage: { ...outage, retryAt: secondsAgo(29) } }, poll, now).status).toBe('degraded');
  });

  it('stalled even during an outage when the loop did not wake up from its backoff', () => {
    const outage = { since: secondsAgo(200), error: 'connect ECONNREFUSED', retryAt: secondsAgo(31) };
    expect(loopHealth({ heartbeat: secondsAgo(67), brokerOutage: outage }, poll, now).status).toBe('stalled');
  });

  it('a slower poll interval stretches the limit', () => {
    expect(stallAfterMs(10_000)).toBe(50_000);
    expect(loopHealth({ heartbeat: secondsAgo(45) }, 10_000, now).status).toBe('ok');
  });
});
