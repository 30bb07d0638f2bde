/** Prints rows as an aligned text table (the CLI's default output). */
export function printTable(rows: Record<string, unknown>[], columns: { key: string; header: string }[]): void {
  const cell = (value: unknown) => (value === null || value === undefined ? '—' : value instanceof Date ? value.toISOString() : String(value));
  const widths = columns.map((c) => Math.max(c.header.length, ...rows.map((r) => cell(r[c.key]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(columns.map((c) => c.header.toUpperCase())));
  for (const row of rows) console.log(line(columns.map((c) => cell(row[c.key]))));
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** The first 8 characters of an id, as the CLI shows them. */
export const shortId = (id: string) => id.slice(0, 8);

/** Prints one record as aligned `label  value` lines. */
export function printRecord(fields: [label: string, value: unknown][]): void {
  const width = Math.max(...fields.map(([label]) => label.length));
  for (const [label, value] of fields) {
    console.log(`${label.padEnd(width)}  ${value === null || value === undefined || value === '' ? '—' : String(value)}`);
  }
}

/** Tells the user how to get the next page of a list. */
export function printMoreHint(nextCursor: string | null, command: string): void {
  if (nextCursor) console.log(`\nmore: ${command} --cursor ${nextCursor}`);
}

/** Prints what a task's, habit's or 1:1's blocks did when they followed it (`  block moved to …`). */
export function printScheduleChanges(changes: { summary: string }[] | undefined): void {
  for (const change of changes ?? []) console.log(`  ${change.summary}`);
}

/** `! overdue` / `! after due` for a task block past its due time (BlockView.flag); '' for none. */
export const flagText = (flag: 'overdue' | 'after_due' | null) => (flag === 'overdue' ? '! overdue' : flag === 'after_due' ? '! after due' : '');
