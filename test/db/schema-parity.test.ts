import fs from 'node:fs';
import path from 'node:path';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/paths';
import { createTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * The migrated database must match the Prisma models exactly: every model is a table, every
 * scalar field a column of the right type and nullability, every enum a Postgres enum with the
 * same values, every id/unique/index/foreign key present — and nothing the models do not know.
 */

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'enum' | 'object';
  type: string;
  isRequired: boolean;
  isList: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: { model: string; type: 'id' | 'unique' | 'normal' | 'fulltext'; fields: { name: string }[] }[];
  };
}

const dmmf: Dmmf = JSON.parse(
  get_dmmf(JSON.stringify({ prismaSchema: fs.readFileSync(path.join(projectRoot, 'prisma', 'schema.prisma'), 'utf8') })),
);
const models = dmmf.datamodel.models;
const enumDbName = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (model: DmmfModel, fieldName: string) => {
  const field = model.fields.find((f) => f.name === fieldName);
  if (!field) throw new Error(`${model.name}.${fieldName} missing from DMMF`);
  return field.dbName ?? field.name;
};

/** The Postgres type (pg_type.typname) a Prisma field maps to. */
function expectedType(field: DmmfField): string {
  let base: string;
  if (field.kind === 'enum') base = enumDbName.get(field.type) as string;
  else {
    const native = field.nativeType?.[0];
    const byType: Record<string, string> = {
      String: native === 'Uuid' ? 'uuid' : 'text',
      Int: 'int4',
      BigInt: 'int8',
      Boolean: 'bool',
      DateTime: native === 'Date' ? 'date' : native === 'Timestamptz' ? 'timestamptz' : 'timestamp',
      Json: native === 'Json' ? 'json' : 'jsonb',
      Float: 'float8',
    };
    base = byType[field.type];
    if (!base) throw new Error(`no mapping for Prisma type ${field.type}`);
  }
  return field.isList ? `_${base}` : base;
}

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

async function columns(table: string) {
  const { rows } = await client.query<{ column_name: string; udt_name: string; is_nullable: 'YES' | 'NO' }>(
    `SELECT column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r]));
}

/** Each index of a table as its ordered column list, with whether it is unique / primary. */
async function indexes(table: string) {
  const { rows } = await client.query<{ columns: string[]; indisunique: boolean; indisprimary: boolean }>(
    `SELECT array_agg(a.attname ORDER BY k.ordinality)::text[] AS columns, i.indisunique, i.indisprimary
       FROM pg_index i
       JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname = $1
      GROUP BY i.indexrelid, i.indisunique, i.indisprimary`,
    [table],
  );
  return rows;
}

describe('the migrated schema matches the Prisma models', () => {
  it('has exactly one table per model (plus the migrations bookkeeping table)', async () => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...models.map(tableOf), 'pgmigrations'].sort());
  });

  it.each(models.map((m) => [m.name, m] as const))('%s: every field is a column of the right type and nullability, and no column is extra', async (_name, model) => {
    const actual = await columns(tableOf(model));
    const scalars = model.fields.filter((f) => f.kind !== 'object');
    for (const field of scalars) {
      const column = actual.get(field.dbName ?? field.name);
      expect(column, `${model.name}.${field.name} → column ${field.dbName ?? field.name}`).toBeDefined();
      expect(column?.udt_name, `${model.name}.${field.name} type`).toBe(expectedType(field));
      const nullable = !field.isRequired && !field.isList;
      expect(column?.is_nullable, `${model.name}.${field.name} nullability`).toBe(nullable ? 'YES' : 'NO');
    }
    expect([...actual.keys()].sort()).toEqual(scalars.map((f) => f.dbName ?? f.name).sort());
  });

  it('has every enum with the same values in the same order', async () => {
    for (const e of dmmf.datamodel.enums) {
      const { rows } = await client.query<{ enumlabel: string }>(
        `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid WHERE t.typname = $1 ORDER BY e.enumsortorder`,
        [e.dbName ?? e.name],
      );
      expect(rows.map((r) => r.enumlabel), e.name).toEqual(e.values.map((v) => v.dbName ?? v.name));
    }
  });

  it('has every primary key, unique constraint and index', async () => {
    for (const index of dmmf.datamodel.indexes) {
      const model = models.find((m) => m.name === index.model) as DmmfModel;
      const wanted = index.fields.map((f) => columnOf(model, f.name));
      const found = (await indexes(tableOf(model))).find((i) => i.columns.join(',') === wanted.join(','));
      expect(found, `${index.type} index on ${tableOf(model)}(${wanted.join(', ')})`).toBeDefined();
      if (index.type === 'id') expect(found?.indisprimary).toBe(true);
      if (index.type === 'unique') expect(found?.indisunique).toBe(true);
    }
  });

  it('has every foreign key with its delete rule', async () => {
    for (const model of models) {
      for (const relation of model.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length)) {
        const target = models.find((m) => m.name === relation.type) as DmmfModel;
        const { rows } = await client.query<{ confdeltype: string }>(
          `SELECT c.confdeltype
             FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid = $1::regclass AND c.confrelid = $2::regclass
              AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) = $3::text[]`,
          [tableOf(model), tableOf(target), relation.relationFromFields!.map((f) => columnOf(model, f)).sort()],
        );
        expect(rows, `${model.name}.${relation.name} foreign key`).toHaveLength(1);
        const rule = { Cascade: 'c', SetNull: 'n', Restrict: 'r', NoAction: 'a' }[relation.relationOnDelete ?? 'NoAction'];
        expect(rows[0].confdeltype, `${model.name}.${relation.name} on delete`).toBe(rule);
      }
    }
  });
});

describe('schedule_blocks_no_overlap', () => {
  const at = (hhmm: string) => new Date(`2026-03-02T${hhmm}:00Z`);

  it('forbids overlapping Orbita blocks of one user, and allows back-to-back, other users and imported events', async () => {
    const [alice, bob] = await Promise.all([
      database.db.user.create({ data: { email: 'alice@example.com' } }),
      database.db.user.create({ data: { email: 'bob@example.com' } }),
    ]);
    const block = (userId: string, start: string, end: string, source: 'orbita' | 'imported' = 'orbita') =>
      database.db.scheduleBlock.create({ data: { userId, type: 'focus', title: `${start}-${end}`, startAt: at(start), endAt: at(end), source } });

    await block(alice.id, '09:00', '10:00');
    await expect(block(alice.id, '09:30', '10:30')).rejects.toThrow(/schedule_blocks_no_overlap/);
    await expect(block(alice.id, '08:00', '11:00')).rejects.toThrow(/schedule_blocks_no_overlap/);
    await block(alice.id, '10:00', '11:00'); // half-open: back-to-back is fine
    await block(bob.id, '09:00', '10:00'); // another user's calendar
    await block(alice.id, '09:15', '09:45', 'imported'); // imported events are busy time, never refused
    expect(await database.db.scheduleBlock.count({ where: { userId: alice.id } })).toBe(3);
  });

  it('rejects blocks that end before they start or last under 5 minutes', async () => {
    const user = await database.db.user.create({ data: { email: 'carol@example.com' } });
    const create = (start: string, end: string) =>
      database.db.scheduleBlock.create({ data: { userId: user.id, type: 'focus', title: 'x', startAt: at(start), endAt: at(end) } });
    await expect(create('10:00', '09:00')).rejects.toThrow(/schedule_blocks_end_after_start/);
    await expect(create('10:00', '10:03')).rejects.toThrow(/schedule_blocks_min_length/);
    await create('10:00', '10:05');
  });
});
