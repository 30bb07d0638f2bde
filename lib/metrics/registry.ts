/**
 * A tiny, dependency-free Prometheus registry: counters, gauges and histograms with labels, and the
 * text exposition format 0.0.4 (`# HELP`, `# TYPE`, escaped label values, cumulative `le` buckets).
 *
 * Metrics live in this process's memory: that is how Prometheus works (it scrapes every process
 * and sums across them). They are operational aggregates, never per-user state — no label ever
 * holds a user id, a token or a raw path — so SPEC §12 ("nothing per-user lives in process
 * memory") still holds, and every replica stays stateless for its users.
 */

export type Labels = Record<string, string | number>;

export const contentType = 'text/plain; version=0.0.4; charset=utf-8';

/** A metric keeps at most this many label combinations; later ones are dropped (a cardinality guard). */
const maxSeriesPerMetric = 2000;

const namePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelPattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
export const escapeLabelValue = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(names: readonly string[], values: readonly string[], extra?: [string, string]): string {
  const pairs = names.map((name, i) => `${name}="${escapeLabelValue(values[i])}"`);
  if (extra) pairs.push(`${extra[0]}="${escapeLabelValue(extra[1])}"`);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

interface MetricOptions {
  name: string;
  help: string;
  labelNames?: readonly string[];
}

abstract class Metric<S> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected readonly series = new Map<string, { values: string[]; state: S }>();

  constructor(options: MetricOptions) {
    if (!namePattern.test(options.name)) throw new Error(`invalid metric name ${options.name}`);
    for (const label of options.labelNames ?? []) {
      if (!labelPattern.test(label) || label.startsWith('__') || label === 'le') throw new Error(`invalid label name ${label} on ${options.name}`);
    }
    this.name = options.name;
    this.help = options.help;
    this.labelNames = [...(options.labelNames ?? [])];
  }

  protected abstract initial(): S;

  /** The series for `labels` (created on first use); null when the cardinality guard refuses it. */
  protected get(labels: Labels = {}): S | null {
    const values = this.labelNames.map((name) => {
      const value = labels[name];
      if (value === undefined) throw new Error(`metric ${this.name} needs label ${name}`);
      return String(value);
    });
    for (const name of Object.keys(labels)) {
      if (!this.labelNames.includes(name)) throw new Error(`metric ${this.name} has no label ${name}`);
    }
    const key = values.join('\u0000');
    let entry = this.series.get(key);
    if (!entry) {
      if (this.series.size >= maxSeriesPerMetric) return null;
      entry = { values, state: this.initial() };
      this.series.set(key, entry);
    }
    return entry.state;
  }

  /** Forgets every series (tests). */
  reset(): void {
    this.series.clear();
  }

  protected abstract lines(values: string[], state: S): string[];

  render(): string {
    const out = [`# HELP ${this.name} ${escapeHelp(this.help)}`, `# TYPE ${this.name} ${this.type}`];
    for (const { values, state } of this.series.values()) out.push(...this.lines(values, state));
    return out.join('\n');
  }
}

export class Counter extends Metric<{ value: number }> {
  readonly type = 'counter';

  protected initial() {
    return { value: 0 };
  }

  inc(labels?: Labels, by = 1): void {
    if (!(by >= 0)) throw new Error(`counter ${this.name} can only go up (got ${by})`);
    const state = this.get(labels);
    if (state) state.value += by;
  }

  /** The current value (0 for a series never touched). */
  value(labels?: Labels): number {
    return this.get(labels)?.value ?? 0;
  }

  protected lines(values: string[], state: { value: number }) {
    return [`${this.name}${formatLabels(this.labelNames, values)} ${formatValue(state.value)}`];
  }
}

export class Gauge extends Metric<{ value: number }> {
  readonly type = 'gauge';

  protected initial() {
    return { value: 0 };
  }

  set(value: number, labels?: Labels): void {
    const state = this.get(labels);
    if (state) state.value = value;
  }

  inc(labels?: Labels, by = 1): void {
    const state = this.get(labels);
    if (state) state.value += by;
  }

  value(labels?: Labels): number {
    return this.get(labels)?.value ?? 0;
  }

  protected lines(values: string[], state: { value: number }) {
    return [`${this.name}${formatLabels(this.labelNames, values)} ${formatValue(state.value)}`];
  }
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric<HistogramState> {
  readonly type = 'histogram';
  readonly buckets: readonly number[];

  constructor(options: MetricOptions & { buckets: readonly number[] }) {
    super(options);
    const buckets = [...options.buckets].filter((b) => b !== Infinity).sort((a, b) => a - b);
    if (!buckets.length || new Set(buckets).size !== buckets.length) throw new Error(`histogram ${options.name} needs distinct buckets`);
    this.buckets = buckets;
  }

  protected initial(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(value: number, labels?: Labels): void {
    const state = this.get(labels);
    if (!state || Number.isNaN(value)) return;
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]) state.counts[i]++;
    state.sum += value;
    state.count++;
  }

  /** Starts a timer; the returned function observes the elapsed seconds with the given labels. */
  startTimer(): (labels?: Labels) => number {
    const started = performance.now();
    return (labels) => {
      const seconds = (performance.now() - started) / 1000;
      this.observe(seconds, labels);
      return seconds;
    };
  }

  /** Count and sum of one series (tests). */
  snapshot(labels?: Labels): { count: number; sum: number; buckets: number[] } {
    const state = this.get(labels);
    return { count: state?.count ?? 0, sum: state?.sum ?? 0, buckets: [...(state?.counts ?? [])] };
  }

  protected lines(values: string[], state: HistogramState) {
    const out = this.buckets.map(
      (bound, i) => `${this.name}_bucket${formatLabels(this.labelNames, values, ['le', formatValue(bound)])} ${formatValue(state.counts[i])}`,
    );
    out.push(`${this.name}_bucket${formatLabels(this.labelNames, values, ['le', '+Inf'])} ${formatValue(state.count)}`);
    out.push(`${this.name}_sum${formatLabels(this.labelNames, values)} ${formatValue(state.sum)}`);
    out.push(`${this.name}_count${formatLabels(this.labelNames, values)} ${formatValue(state.count)}`);
    return out;
  }
}

type AnyMetric = Counter | Gauge | Histogram;

export class Registry {
  private readonly metrics = new Map<string, AnyMetric>();

  private register<M extends AnyMetric>(metric: M): M {
    const existing = this.metrics.get(metric.name);
    if (existing) {
      // Registering twice (a module evaluated again by a dev reload, or once per Next.js bundle) returns
      // the first. Compared by type name, not instanceof: each bundle has its own copy of the classes.
      if (existing.type !== metric.type || existing.labelNames.join() !== metric.labelNames.join()) {
        throw new Error(`metric ${metric.name} is already registered with another type or labels`);
      }
      return existing as M;
    }
    this.metrics.set(metric.name, metric);
    return metric;
  }

  counter(options: MetricOptions): Counter {
    return this.register(new Counter(options));
  }

  gauge(options: MetricOptions): Gauge {
    return this.register(new Gauge(options));
  }

  histogram(options: MetricOptions & { buckets: readonly number[] }): Histogram {
    return this.register(new Histogram(options));
  }

  get(name: string): AnyMetric | undefined {
    return this.metrics.get(name);
  }

  /** Every metric in the text exposition format 0.0.4 (ends with a newline). */
  render(): string {
    return [...this.metrics.values()].map((m) => m.render()).join('\n') + '\n';
  }

  /** Forgets every series, keeping the metrics (tests). */
  resetAll(): void {
    for (const metric of this.metrics.values()) metric.reset();
  }
}
