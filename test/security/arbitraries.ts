/**
 * fast-check arbitraries for fuzzing the doors: JSON bodies shaped like an operation's schema but
 * with wrong types, huge strings, unicode, nested junk and prototype-pollution keys; query
 * strings; path params; and headers (content types, bad Authorization values, huge headers).
 */
import fc from 'fast-check';

/** A JSON Schema node as z.toJSONSchema writes it (only what the generators read). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

/** Strings that have broken parsers before. */
export const nastyString = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '\u0000',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '9'.repeat(400),
  '__proto__',
  'constructor',
  'prototype',
  "'; DROP TABLE tasks; --",
  '" OR 1=1 --',
  '%',
  '%00',
  '%E0%A4%A',
  '_%',
  '\\',
  '../../../etc/passwd',
  '\uD800',
  '\uDFFF\uD800',
  '💥🔥',
  'ǅǈ',
  '\u202Eevil',
  'ﬀ',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  'true',
  'false',
  '2026-02-30',
  '2026-13-01',
  '2026-12-01T25:00:00Z',
  '9999-12-31',
  '0000-01-01',
  '275760-09-13',
  '-000001-01-01',
  '24:00',
  '23:60',
  '-1:00',
  '00:00',
  'T',
  'x'.repeat(501),
  'y'.repeat(5001),
  'Europe/Atlantis',
  'ffffffff',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '-',
  '----',
);

/** A few very large strings (kept rare: they are slow to move around). */
export const hugeString = fc.constantFrom(100_000, 1_000_000).map((n) => 'h'.repeat(n));

export const anyString = fc.oneof(
  { weight: 4, arbitrary: fc.string() },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 50 }) },
  { weight: 4, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: -5, max: 30 }), fc.integer({ min: -5, max: 70 })).map(([h, m]) => `${h}:${String(m).padStart(2, '0')}`) },
);

export const anyNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -2, max: 500 }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e-320),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Dates and date-times at the edges: years 0–1 and 9999 (the database's and ISO-8601's ends), leap and DST days, offsets. */
export const dateLike = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(
    '0000-01-01',
    '0001-01-01',
    '0001-01-01T00:30:00+14:00',
    '0999-12-31',
    '1000-01-01',
    '1969-12-31',
    '1970-01-01',
    '2026-02-29',
    '2028-02-29',
    '2026-03-29',
    '2026-10-25',
    '2026-03-29T02:30',
    '2026-03-29T02:30:00+01:00',
    '9000-12-31',
    '9001-01-01',
    '9999-12-31',
    '9999-12-31T23:59:59-14:00',
    '2026-12-01T17:00:00Z',
    '2026-12-01T17:00:00.123456789+05:45',
  ) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.date({ noInvalidDate: true }), fc.integer({ min: -14, max: 14 })).map(([d, h]) => `${d.toISOString().slice(0, 19)}${h < 0 ? '-' : '+'}${String(Math.abs(h)).padStart(2, '0')}:00`),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
      ([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    ),
  },
);

/** Clock times HH:MM around the edges. */
export const clockLike = fc.oneof(
  fc.constantFrom('00:00', '23:59', '24:00', '24:01', '12:60', '9:00', '09:00', '-01:00', '02:30', '1:2', '99:99'),
  fc.tuple(fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
);

/** Extra values for a field whose name says what it holds (dates, times), mixed with the schema's own. */
function hintFor(key: string | undefined): fc.Arbitrary<unknown> | null {
  if (!key) return null;
  if (/^(start|end|after|time)$/i.test(key)) return fc.oneof(clockLike, dateLike);
  if (/date|from|^to$|due|before|weekOf/i.test(key)) return dateLike;
  return null;
}

/** Any JSON value, including nested junk. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: anyString },
  { weight: 2, arbitrary: anyNumber },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.nat({ max: 3000 }).map((depth) => nested(depth)) },
);

/** `[[[…]]]` or `{"a":{"a":…}}` `depth` levels deep. */
function nested(depth: number): unknown {
  let value: unknown = depth % 2 ? [] : {};
  for (let i = 0; i < depth; i++) value = depth % 2 ? [value] : { a: value };
  return value;
}

/** Keys that pollute prototypes when code copies objects carelessly. */
export const pollutingKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '', ' ', 'then');

/** A value for `schema`: mostly one of the right type (edge values included), often one of the wrong type. */
export function valueFor(schema: JsonSchema | undefined, depth = 0, key?: string): fc.Arbitrary<unknown> {
  if (!schema || depth > 3) return junk;
  const right: fc.Arbitrary<unknown>[] = [];
  const hint = hintFor(key);
  if (hint) right.push(hint, hint);
  if (schema.enum) right.push(fc.constantFrom(...schema.enum), fc.constantFrom(...schema.enum).map((v) => (typeof v === 'string' ? v.toUpperCase() : v)));
  if (schema.const !== undefined) right.push(fc.constant(schema.const));
  for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) right.push(valueFor(part, depth + 1));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  for (const type of types) {
    if (type === 'string') {
      const edges: unknown[] = [];
      if (schema.maxLength !== undefined) edges.push('a'.repeat(schema.maxLength), 'a'.repeat(schema.maxLength + 1));
      if (schema.minLength !== undefined) edges.push('a'.repeat(Math.max(0, schema.minLength - 1)));
      right.push(anyString, ...(edges.length ? [fc.constantFrom(...edges)] : []));
    } else if (type === 'integer' || type === 'number') {
      const edges = [schema.minimum, schema.maximum].filter((v): v is number => typeof v === 'number').flatMap((v) => [v - 1, v, v + 1, v + 0.5]);
      right.push(anyNumber, ...(edges.length ? [fc.constantFrom(...edges)] : []), anyNumber.map(String));
    } else if (type === 'boolean') right.push(fc.boolean(), fc.constantFrom('true', 'false', '1', 0));
    else if (type === 'null') right.push(fc.constant(null));
    else if (type === 'array') right.push(fc.array(valueFor(schema.items, depth + 1), { maxLength: 30 }));
    else if (type === 'object') right.push(objectFor(schema, depth + 1).map((entries) => JSON.parse(serializeEntries(entries))));
  }
  if (right.length === 0) return junk;
  return fc.oneof({ weight: 3, arbitrary: fc.oneof(...right) }, { weight: 1, arbitrary: junk });
}

/**
 * A value that could pass `schema` (enum members, numbers within bounds, dates for date fields,
 * strings within their length): near-valid input gets past validation to the service and the
 * database, where the interesting failures are.
 */
export function plausible(schema: JsonSchema | undefined, key?: string, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 3) return junk;
  const options: fc.Arbitrary<unknown>[] = [];
  const hint = hintFor(key);
  if (hint) options.push(hint);
  if (schema.enum?.length) options.push(fc.constantFrom(...schema.enum));
  if (schema.const !== undefined) options.push(fc.constant(schema.const));
  for (const part of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) options.push(plausible(part, key, depth + 1));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  for (const type of types) {
    if (type === 'string' && !hint && !schema.enum) options.push(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }), nastyString);
    else if (type === 'integer' || type === 'number') {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1000;
      options.push(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.constantFrom(min, max));
    } else if (type === 'boolean') options.push(fc.boolean());
    else if (type === 'null') options.push(fc.constant(null));
    else if (type === 'array') options.push(fc.array(plausible(schema.items, key, depth + 1), { maxLength: 4 }));
    else if (type === 'object') options.push(nearValid(schema, depth + 1).map((entries) => JSON.parse(serializeEntries(entries))));
  }
  return options.length ? fc.oneof(...options) : junk;
}

/** An object of plausible values for some of the schema's fields (no unknown keys). */
export function nearValid(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<Entries> {
  const properties = Object.entries(schema?.properties ?? {});
  if (properties.length === 0) return fc.constant([]);
  return fc
    .tuple(...properties.map(([key, property]) => fc.option(plausible(property, key, depth).map((value) => [key, value] as [string, unknown]), { freq: 2, nil: null })))
    .map((fields) => fields.filter((f): f is [string, unknown] => f !== null));
}

export type Entries = [string, unknown][];

/** Key/value pairs of an object shaped like `schema` (some fields left out, some polluting or unknown keys added). */
export function objectFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<Entries> {
  const properties = Object.entries(schema?.properties ?? {});
  const known = properties.map(([key, property]) => fc.option(valueFor(property, depth, key).map((value) => [key, value] as [string, unknown]), { freq: 3, nil: null }));
  const extra = fc.array(fc.tuple(fc.oneof(pollutingKey, fc.string({ maxLength: 10 })), junk), { maxLength: 3 });
  return fc.tuple(fc.tuple(...known), fc.oneof({ weight: 3, arbitrary: fc.constant([] as [string, unknown][]) }, { weight: 1, arbitrary: extra })).map(([fields, extras]) => [
    ...fields.filter((f): f is [string, unknown] => f !== null),
    ...extras,
  ]);
}

/** JSON object text with the entries in order — `__proto__` stays a key, as it would on the wire. */
export function serializeEntries(entries: Entries): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`;
}

/** Request body text that is not a JSON object at all. */
export const rawBody = fc.oneof(
  fc.constantFrom('', ' ', 'null', '[]', '"text"', '42', 'true', '{', '{"a":', '{"a":1,}', "{'a':1}", 'NaN', '1e99999', '\u0000', '\uFEFF{}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}'),
  fc.string(),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.nat({ max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  hugeString.map((s) => JSON.stringify({ title: s, name: s })),
);

/** A JSON body for an operation: shaped like its schema most of the time. */
export function bodyFor(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: nearValid(schema).map(serializeEntries) },
    { weight: 4, arbitrary: objectFor(schema).map(serializeEntries) },
    { weight: 2, arbitrary: rawBody },
  );
}

/** A query string (`?a=1&a=2&b=…`): near-valid for the operation's parameters, or junk keys and values. */
export function queryFor(parameters: { name: string; schema?: JsonSchema }[]): fc.Arbitrary<string> {
  const names = parameters.map((p) => p.name);
  const encode = (pairs: [string, string][]) => (pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, v.slice(0, 2000)])).toString()}` : '');
  const key = names.length ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.oneof(pollutingKey, fc.string({ maxLength: 8 })) }) : fc.oneof(pollutingKey, fc.string({ maxLength: 8 }));
  const value = fc.oneof(anyString, anyNumber.map(String), fc.constantFrom('true', 'false', '', 'pending,completed', 'high,none', 'priority', 'due', 'created'));
  const pair = key.chain((k) => {
    const hint = hintFor(k);
    return fc.tuple(fc.constant(k), hint ? fc.oneof(value, hint.map(String)) : value);
  });
  const asText = (v: unknown) => (Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : JSON.stringify(v));
  const nearValidQuery = nearValid({ properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema ?? {}])) }).map((entries) => encode(entries.map(([k, v]) => [k, asText(v)])));
  return fc.oneof(
    { weight: 4, arbitrary: nearValidQuery },
    { weight: 4, arbitrary: fc.array(pair, { maxLength: 6 }).map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('?', '?&&', '?=', '?limit', '?limit=%', '?cursor=%E0%A4%A', '?status[]=x', '?a=1&a=2&a=3', `?cursor=${'A'.repeat(5000)}`, '?%zz=1') },
  );
}

/** Header values must be ByteStrings without CR/LF/NUL: printable ASCII and Latin-1. */
const headerChar = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code));
export const headerString = (maxLength = 40) => fc.string({ unit: headerChar, maxLength });

export const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
  '*/*',
  '',
  'application/',
  ';;;',
  null,
);

/** An Authorization header (null: none) given the caller's good tokens. */
export function authorization(good: string, readOnly: string, foreign: string): fc.Arbitrary<string | null> {
  return fc.oneof(
    { weight: 14, arbitrary: fc.constant(`Bearer ${good}`) },
    { weight: 2, arbitrary: fc.constant(`Bearer ${readOnly}`) },
    { weight: 1, arbitrary: fc.constant(null) },
    {
      weight: 3,
      arbitrary: fc.oneof(
        fc.constantFrom('', 'Bearer', 'Bearer ', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'Digest x', `bearer ${good}`, `BEARER   ${good}   `, `Bearer ${good}x`, `Bearer ${good} ${good}`, `Bearer ${good.slice(0, -1)}`, `Token ${good}`, `Bearer ${foreign}x`, 'Bearer orb_pat_', 'Bearer null', `Bearer ${'a'.repeat(20_000)}`),
        headerString(60).map((s) => `Bearer ${s}`),
        headerString(60),
      ),
    },
  );
}

/** Extra headers: huge ones, odd cookies, forwarding headers. */
export const extraHeaders = fc.oneof(
  { weight: 6, arbitrary: fc.constant({} as Record<string, string>) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        'x-huge': fc.constantFrom('q'.repeat(16_000), 'q'.repeat(100_000)),
        cookie: fc.constantFrom('next-auth.session-token=junk', '__Secure-next-auth.session-token=' + 'c'.repeat(4000), '=;=;', 'a=%'),
        'x-forwarded-for': headerString(30),
        'x-forwarded-host': headerString(30),
        accept: fc.constantFrom('*/*', 'text/html', '', 'application/json, text/event-stream'),
        'if-none-match': headerString(20),
        'content-encoding': fc.constantFrom('gzip', 'br', 'identity', 'nonsense'),
      },
      { requiredKeys: [] },
    ),
  },
);
