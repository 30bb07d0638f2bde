/**
 * A strict reader of the Prometheus text format 0.0.4, for tests: every sample line must parse,
 * belong to a family announced by `# HELP` and `# TYPE` before it, and histogram samples must use
 * the _bucket/_sum/_count suffixes with cumulative buckets ending at le="+Inf" = _count.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: string;
  samples: Sample[];
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/;

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i));
    if (!name) throw new Error(`bad label name at ${JSON.stringify(text.slice(i))}`);
    i += name[0].length;
    if (text.slice(i, i + 2) !== '="') throw new Error(`expected =" after ${name[0]}`);
    i += 2;
    let value = '';
    for (;;) {
      if (i >= text.length) throw new Error('unterminated label value');
      const ch = text[i++];
      if (ch === '"') break;
      if (ch === '\\') {
        const next = text[i++];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape \\${next}`);
      } else if (ch === '\n') {
        throw new Error('raw newline in a label value');
      } else value += ch;
    }
    if (name[0] in labels) throw new Error(`duplicate label ${name[0]}`);
    labels[name[0]] = value;
    if (text[i] === ',') i++;
    else if (i < text.length) throw new Error(`expected , at ${JSON.stringify(text.slice(i))}`);
  }
  return labels;
}

function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) || Number.isNaN(value)) throw new Error(`bad value ${text}`);
  return value;
}

export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  let current: Family | null = null;
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (help) {
      if (families.has(help[1])) throw new Error(`family ${help[1]} appears twice`);
      current = { name: help[1], help: help[2].replace(/\\n/g, '\n').replace(/\\\\/g, '\\'), type: '', samples: [] };
      families.set(help[1], current);
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      if (!current || current.name !== type[1] || current.samples.length) throw new Error(`TYPE ${type[1]} not right after its HELP`);
      current.type = type[2];
      continue;
    }
    if (line.startsWith('#')) throw new Error(`unexpected comment ${line}`);
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`unparsable sample line ${JSON.stringify(line)}`);
    if (!current || !current.type) throw new Error(`sample ${match[1]} before its HELP/TYPE`);
    const suffixes = current.type === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
    if (!suffixes.some((s) => match[1] === current!.name + s)) throw new Error(`sample ${match[1]} does not belong to ${current.name}`);
    current.samples.push({ name: match[1], labels: match[3] ? parseLabels(match[3]) : {}, value: parseValue(match[4]) });
  }
  for (const family of families.values()) {
    if (family.type !== 'histogram') continue;
    const groups = new Map<string, Sample[]>();
    for (const sample of family.samples) {
      const { le: _le, ...rest } = sample.labels;
      const key = JSON.stringify(rest);
      groups.set(key, [...(groups.get(key) ?? []), sample]);
    }
    for (const samples of groups.values()) {
      const buckets = samples.filter((s) => s.name.endsWith('_bucket'));
      for (let i = 1; i < buckets.length; i++) {
        if (buckets[i].value < buckets[i - 1].value) throw new Error(`${family.name}: buckets are not cumulative`);
        if (Number(buckets[i].labels.le === '+Inf' ? Infinity : buckets[i].labels.le) <= Number(buckets[i - 1].labels.le)) throw new Error(`${family.name}: le not increasing`);
      }
      const inf = buckets.at(-1);
      const count = samples.find((s) => s.name.endsWith('_count'));
      if (inf?.labels.le !== '+Inf' || !count || inf.value !== count.value) throw new Error(`${family.name}: +Inf bucket must equal _count`);
    }
  }
  return families;
}

/** The value of the one sample of `name` whose labels include `labels` (undefined when absent). */
export function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of families.values()) {
    for (const sample of family.samples) {
      if (sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v)) return sample.value;
    }
  }
  return undefined;
}
