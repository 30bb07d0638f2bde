import { describe, expect, it } from 'vitest';
import { metricsAuthorized, registry, renderMetrics, routePattern } from '../../lib/metrics';
import { Registry } from '../../lib/metrics/registry';
import { parseExposition, sampleValue } from './exposition';

describe('the Prometheus registry', () => {
  it('renders counters, gauges and histograms in the text format 0.0.4, and parses back', () => {
    const r = new Registry();
    const requests = r.counter({ name: 'demo_requests_total', help: 'Requests.\nSecond line with a \\ backslash.', labelNames: ['path'] });
    const temperature = r.gauge({ name: 'demo_temperature', help: 'Temperature.' });
    const latency = r.histogram({ name: 'demo_latency_seconds', help: 'Latency.', labelNames: ['op'], buckets: [0.1, 0.5, 1] });
    requests.inc({ path: 'quote " back\\slash\nnewline' });
    requests.inc({ path: 'quote " back\\slash\nnewline' }, 2);
    requests.inc({ path: '/plain' });
    temperature.set(-3.5);
    for (const v of [0.05, 0.1, 0.3, 0.7, 5]) latency.observe(v, { op: 'read' });

    const text = r.render();
    expect(text).toContain('# HELP demo_requests_total Requests.\\nSecond line with a \\\\ backslash.\n# TYPE demo_requests_total counter\n');
    expect(text).toContain('demo_requests_total{path="quote \\" back\\\\slash\\nnewline"} 3\n');
    expect(text).toContain('demo_latency_seconds_bucket{op="read",le="0.1"} 2\n');
    expect(text).toContain('demo_latency_seconds_bucket{op="read",le="+Inf"} 5\n');

    const families = parseExposition(text);
    expect(families.get('demo_requests_total')).toMatchObject({ type: 'counter', help: 'Requests.\nSecond line with a \\ backslash.' });
    expect(sampleValue(families, 'demo_requests_total', { path: 'quote " back\\slash\nnewline' })).toBe(3);
    expect(sampleValue(families, 'demo_requests_total', { path: '/plain' })).toBe(1);
    expect(sampleValue(families, 'demo_temperature')).toBe(-3.5);
    const buckets = families.get('demo_latency_seconds')!.samples.filter((s) => s.name.endsWith('_bucket')).map((s) => [s.labels.le, s.value]);
    expect(buckets).toEqual([['0.1', 2], ['0.5', 3], ['1', 4], ['+Inf', 5]]);
    expect(sampleValue(families, 'demo_latency_seconds_sum', { op: 'read' })).toBeCloseTo(6.15);
    expect(sampleValue(families, 'demo_latency_seconds_count', { op: 'read' })).toBe(5);
  });

  it('refuses what Prometheus would reject: bad names, missing or unknown labels, counters going down', () => {
    const r = new Registry();
    expect(() => r.counter({ name: 'bad-name', help: 'x' })).toThrow(/invalid metric name/);
    expect(() => r.histogram({ name: 'h', help: 'x', labelNames: ['le'], buckets: [1] })).toThrow(/invalid label name/);
    const c = r.counter({ name: 'c_total', help: 'x', labelNames: ['a'] });
    expect(() => c.inc()).toThrow(/needs label a/);
    expect(() => c.inc({ a: '1', b: '2' })).toThrow(/has no label b/);
    expect(() => c.inc({ a: '1' }, -1)).toThrow(/only go up/);
    // registering again returns the same metric; another type under the name is an error
    expect(r.counter({ name: 'c_total', help: 'x', labelNames: ['a'] })).toBe(c);
    expect(() => r.gauge({ name: 'c_total', help: 'x', labelNames: ['a'] })).toThrow(/already registered/);
  });

  it('caps the label combinations of one metric (a cardinality guard)', () => {
    const r = new Registry();
    const c = r.counter({ name: 'many_total', help: 'x', labelNames: ['id'] });
    for (let i = 0; i < 2100; i++) c.inc({ id: String(i) });
    expect(parseExposition(r.render()).get('many_total')!.samples).toHaveLength(2000);
  });

  it("the process registry renders Orbita's metrics and the process basics", async () => {
    const families = parseExposition(await renderMetrics({ role: 'web' }));
    for (const name of [
      'orbita_outbox_published_total',
      'orbita_outbox_publish_failures_total',
      'orbita_scheduler_duration_seconds',
      'orbita_calendar_sync_total',
      'orbita_calendar_sync_failures_total',
      'orbita_http_request_duration_seconds',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
    ]) {
      expect(families.has(name), name).toBe(true);
    }
    expect(sampleValue(families, 'process_resident_memory_bytes')).toBeGreaterThan(1e6);
    expect(sampleValue(families, 'process_start_time_seconds')).toBeLessThanOrEqual(Date.now() / 1000);
    expect(sampleValue(families, 'orbita_info', { role: 'web' })).toBe(1);
    expect(registry.get('orbita_outbox_pending')).toBeDefined();
  });

  it('leaves the outbox gauges out and reports orbita_outbox_stats_up 0 when the database read fails', async () => {
    let families = parseExposition(await renderMetrics({ role: 'worker', outboxTotals: async () => ({ pending: 3, deadTotal: 1, lagSeconds: 2.5 }) }));
    expect(sampleValue(families, 'orbita_outbox_pending')).toBe(3);
    expect(sampleValue(families, 'orbita_outbox_lag_seconds')).toBe(2.5);
    expect(sampleValue(families, 'orbita_outbox_stats_up')).toBe(1);
    families = parseExposition(
      await renderMetrics({
        role: 'worker',
        outboxTotals: async () => {
          throw new Error('connection refused');
        },
      }),
    );
    expect(sampleValue(families, 'orbita_outbox_pending')).toBeUndefined();
    expect(sampleValue(families, 'orbita_outbox_stats_up')).toBe(0);
  });
});

describe('routePattern', () => {
  it.each([
    ['/api/v1/tasks', {}, '/api/v1/tasks'],
    ['/api/v1/tasks/0b6c3d3e-1111-4a4a-8b8b-123456789abc', { id: '0b6c3d3e-1111-4a4a-8b8b-123456789abc' }, '/api/v1/tasks/[id]'],
    ['/api/v1/habits/h-1/log', { id: 'h-1' }, '/api/v1/habits/[id]/log'],
    ['/api/v1/tasks/tasks', { id: 'tasks' }, '/api/v1/tasks/[id]'],
    ['/api/v1/files/a%20b', { name: 'a b' }, '/api/v1/files/[name]'],
    ['/api/auth/callback/google', { nextauth: ['callback', 'google'] }, '/api/auth/[...nextauth]'],
    ['/api/v1/a/x/b/y', { first: 'x', second: 'y' }, '/api/v1/a/[first]/b/[second]'],
  ])('%s with %j → %s', (path, params, expected) => {
    expect(routePattern(path, params)).toBe(expected);
  });
});

describe('metricsAuthorized', () => {
  it('is open without a token, and needs the exact Bearer token with one', () => {
    expect(metricsAuthorized(null, undefined)).toBe(true);
    expect(metricsAuthorized(null, 's3cret')).toBe(false);
    expect(metricsAuthorized('Bearer wrong', 's3cret')).toBe(false);
    expect(metricsAuthorized('Basic czNjcmV0', 's3cret')).toBe(false);
    expect(metricsAuthorized('Bearer s3cret', 's3cret')).toBe(true);
    expect(metricsAuthorized('bearer s3cret ', 's3cret')).toBe(true);
  });
});
