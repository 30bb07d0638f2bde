import { createHash, timingSafeEqual } from 'node:crypto';
import { Registry } from './registry';

/**
 * Orbita's Prometheus metrics (served as `GET /metrics` by the web server and the worker; see
 * docs/operations.md "Metrics and alerts" for the alert rules built on them).
 *
 * The registry is per process and kept on globalThis: Next.js evaluates modules once per bundle
 * (instrumentation, each route), and every copy must count into the same registry. Metrics are
 * operational aggregates (no user ids, tokens or raw paths in labels), not per-user state, so this
 * in-memory registry does not break SPEC §12's stateless replicas: Prometheus scrapes every
 * replica and sums.
 */

const holder = globalThis as unknown as { __orbitaMetrics?: Registry };
export const registry: Registry = (holder.__orbitaMetrics ??= new Registry());

const httpBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const schedulerBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

// ── outbox (gauges read from the database at scrape time; counters bumped by the processor) ──

export const outboxPending = registry.gauge({ name: 'orbita_outbox_pending', help: 'Outbox events waiting to be published (not published, not dead-lettered).' });
export const outboxDead = registry.gauge({ name: 'orbita_outbox_dead', help: 'Dead-lettered outbox events in the table (all workers; `orbita outbox retry-dead` lowers it).' });
export const outboxLag = registry.gauge({ name: 'orbita_outbox_lag_seconds', help: 'Age in seconds of the oldest outbox event still waiting (0 when none).' });
export const outboxStatsUp = registry.gauge({
  name: 'orbita_outbox_stats_up',
  help: '1 when this scrape could read the outbox totals from the database, else 0 (the three outbox gauges are then left out).',
});
export const outboxPublished = registry.counter({ name: 'orbita_outbox_published_total', help: 'Outbox events this process published (confirmed by the broker).' });
export const outboxPublishFailures = registry.counter({
  name: 'orbita_outbox_publish_failures_total',
  help: 'Outbox publish attempts by this process that failed: reason="rejected" (the broker nacked; a retry is spent) or "broker_lost" (the connection went away; the events stay pending, no retry spent).',
  labelNames: ['reason'],
});
export const outboxDeadLettered = registry.counter({ name: 'orbita_outbox_dead_lettered_total', help: 'Outbox events this process dead-lettered after OUTBOX_MAX_RETRIES failures.' });
export const brokerConnectionsLost = registry.counter({ name: 'orbita_outbox_broker_connections_lost_total', help: 'Times this process lost its RabbitMQ connection or channel.' });
export const brokerConnected = registry.gauge({ name: 'orbita_outbox_broker_connected', help: '1 when this process\'s outbox publisher is connected to the broker (processes that run a processor only).' });

// ── scheduler ──

export const schedulerDuration = registry.histogram({
  name: 'orbita_scheduler_duration_seconds',
  help: 'Wall time of a planning run (`schedule auto`: gathering, planning and storing the blocks in one transaction), by operation and outcome.',
  labelNames: ['operation', 'outcome'],
  buckets: schedulerBuckets,
});
export const schedulerPlanDuration = registry.histogram({
  name: 'orbita_scheduler_plan_duration_seconds',
  help: 'CPU time of the pure planner inside a planning run (no database), by operation.',
  labelNames: ['operation'],
  buckets: schedulerBuckets,
});

// ── Google Calendar sync ──

export const calendarSyncs = registry.counter({ name: 'orbita_calendar_sync_total', help: 'Calendar syncs (blocks → Google Calendar) run by this process, whatever their outcome.' });
export const calendarSyncFailures = registry.counter({
  name: 'orbita_calendar_sync_failures_total',
  help: 'Calendar syncs that failed: reason is the error code when the whole sync stopped (unauthorized = needs reconnect, upstream_error, unavailable, validation_error, …, or "error"), or "events_failed" when it finished with some events failing.',
  labelNames: ['reason'],
});
export const calendarSyncEvents = registry.counter({
  name: 'orbita_calendar_sync_events_total',
  help: 'Events handled by calendar syncs, by outcome (created, updated, deleted, unchanged, failed).',
  labelNames: ['outcome'],
});

// ── HTTP ──

export const httpDuration = registry.histogram({
  name: 'orbita_http_request_duration_seconds',
  help: 'Time to answer an HTTP request (until the response headers), by method, route pattern (e.g. /api/v1/tasks/[id]) and status.',
  labelNames: ['method', 'route', 'status'],
  buckets: httpBuckets,
});

// ── process ──

const processCpu = registry.counter({ name: 'process_cpu_seconds_total', help: 'Total user and system CPU time spent in seconds.' });
const processCpuUser = registry.counter({ name: 'process_cpu_user_seconds_total', help: 'Total user CPU time spent in seconds.' });
const processCpuSystem = registry.counter({ name: 'process_cpu_system_seconds_total', help: 'Total system CPU time spent in seconds.' });
const processRss = registry.gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.' });
const processHeap = registry.gauge({ name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use, in bytes.' });
const processStart = registry.gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since the Unix epoch in seconds (uptime = time() - this).' });
const info = registry.gauge({ name: 'orbita_info', help: 'Always 1; labels name the process role (web, worker) and the Orbita version.', labelNames: ['role', 'version'] });

const version = process.env.npm_package_version ?? '0.1.0';

function refreshProcessMetrics(role: string): void {
  const cpu = process.cpuUsage();
  // Counters only go up; set them to the process totals by adding the difference.
  const setCounter = (counter: typeof processCpu, total: number) => counter.inc(undefined, Math.max(0, total - counter.value()));
  setCounter(processCpuUser, cpu.user / 1e6);
  setCounter(processCpuSystem, cpu.system / 1e6);
  setCounter(processCpu, (cpu.user + cpu.system) / 1e6);
  const memory = process.memoryUsage();
  processRss.set(memory.rss);
  processHeap.set(memory.heapUsed);
  processStart.set(Math.round((Date.now() / 1000 - process.uptime()) * 1000) / 1000);
  info.set(1, { role, version });
}

/** The outbox totals a scrape reads (outboxTotals in lib/outbox/store.ts: one cheap query). */
export interface OutboxTotalsReader {
  (): Promise<{ pending: number; deadTotal: number; lagSeconds: number }>;
}

export interface RenderOptions {
  role: 'web' | 'worker';
  /** Reads the outbox totals from the database; left out, the outbox gauges are not reported. */
  outboxTotals?: OutboxTotalsReader;
  /** The process's outbox processor, if it runs one (for orbita_outbox_broker_connected). */
  processor?: { brokerConnected: boolean } | null;
}

/** Refreshes the scrape-time gauges and renders every metric (text format 0.0.4). */
export async function renderMetrics(options: RenderOptions): Promise<string> {
  refreshProcessMetrics(options.role);
  if (options.processor) brokerConnected.set(options.processor.brokerConnected ? 1 : 0);
  if (options.outboxTotals) {
    try {
      const totals = await options.outboxTotals();
      outboxPending.set(totals.pending);
      outboxDead.set(totals.deadTotal);
      outboxLag.set(totals.lagSeconds);
      outboxStatsUp.set(1);
    } catch {
      // Stale numbers would hide an outage: leave the gauges out and say why.
      outboxPending.reset();
      outboxDead.reset();
      outboxLag.reset();
      outboxStatsUp.set(0);
    }
  }
  return registry.render();
}

/**
 * The route pattern of a request for the `route` label: the path with every dynamic segment put
 * back as its `[name]` (`/api/v1/tasks/0b6…` with params `{ id }` → `/api/v1/tasks/[id]`), so ids
 * never become labels. Segments are matched from the right (dynamic segments follow their static
 * parent); catch-all params (arrays) become `[...name]`.
 */
export function routePattern(pathname: string, params: Record<string, unknown> | undefined): string {
  const segments = pathname.split('/');
  const decoded = segments.map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
  const entries = Object.entries(params ?? {}).reverse();
  let cursor = segments.length - 1;
  for (const [name, value] of entries) {
    if (Array.isArray(value)) {
      const parts = value.map(String);
      for (let end = cursor; end - parts.length + 1 >= 1; end--) {
        const start = end - parts.length + 1;
        if (parts.every((part, i) => decoded[start + i] === part)) {
          segments.splice(start, parts.length, `[...${name}]`);
          decoded.splice(start, parts.length, `[...${name}]`);
          cursor = start - 1;
          break;
        }
      }
    } else if (typeof value === 'string') {
      for (let i = cursor; i >= 1; i--) {
        if (decoded[i] === value) {
          segments[i] = `[${name}]`;
          decoded[i] = segments[i];
          cursor = i - 1;
          break;
        }
      }
    }
  }
  return segments.join('/') || '/';
}

/** Records one HTTP request in orbita_http_request_duration_seconds. */
export function observeHttpRequest(method: string, route: string, status: number, seconds: number): void {
  httpDuration.observe(seconds, { method: method.toUpperCase(), route, status: String(status) });
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a scrape may read /metrics: always when no token is configured, else only with
 * `Authorization: Bearer <token>` (compared in constant time).
 */
export function metricsAuthorized(authorization: string | null | undefined, token: string | undefined): boolean {
  return !token || presentsMetricsToken(authorization, token);
}

/**
 * Whether the request carries `Authorization: Bearer <METRICS_TOKEN>` (constant-time); never when no
 * token is configured. What the health endpoints ask before they show details (lib/health.ts).
 */
export function presentsMetricsToken(authorization: string | null | undefined, token: string | undefined): boolean {
  if (!token) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return !!match && timingSafeEqual(digest(match[1]), digest(token));
}

export { contentType } from './registry';
