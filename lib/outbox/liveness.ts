/**
 * Whether an outbox processor is doing its job, for the worker's /healthz (and its metrics
 * listener's): "stalled" means no progress while progress was possible. A processor waiting out a
 * broker outage (its reconnect backoff sleeps up to 30 s ± 20 %) is "degraded", not stalled.
 */

/** The broker could not be reached: since when (epoch ms), the last error, and when the loop tries again. */
export interface BrokerOutage {
  since: number;
  error: string;
  retryAt: number;
}

/** What the judgement reads of a processor (OutboxProcessor has both; tests pass plain objects). */
export interface ProcessorLiveness {
  /** When the loop last turned or made progress (epoch ms). */
  heartbeat: number;
  /** Set while the broker is unreachable, null otherwise. */
  brokerOutage?: BrokerOutage | null;
}

export type LoopStatus = 'ok' | 'degraded' | 'stalled';

export interface LoopHealth {
  status: LoopStatus;
  /** Why it is degraded (`broker unreachable`); fixed words, never an error's text. */
  reason?: string;
  /** Since the loop last turned. */
  idleMs: number;
}

/** The loop is stalled when it owes a turn for this long (it turns at least every poll interval). */
export const stallAfterMs = (pollIntervalMs: number) => Math.max(30_000, pollIntervalMs * 5);

export function loopHealth(processor: ProcessorLiveness, pollIntervalMs: number, now = Date.now()): LoopHealth {
  const idleMs = Math.max(0, now - processor.heartbeat);
  const outage = processor.brokerOutage ?? null;
  // A loop sleeping through a broker backoff owes its next turn only when that sleep ends.
  const owedSince = Math.max(processor.heartbeat, outage?.retryAt ?? 0);
  if (now - owedSince > stallAfterMs(pollIntervalMs)) return { status: 'stalled', idleMs };
  if (outage) return { status: 'degraded', reason: 'broker unreachable', idleMs };
  return { status: 'ok', idleMs };
}
