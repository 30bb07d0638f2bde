/**
 * How the isolation matrix fills each id a door takes. Doors are enumerated (doors.ts); this file
 * only knows the *kinds* of ids, so a new route, tool or command is covered unless it takes an id
 * of a kind nobody has classified yet — then the matrix fails and names what to add here.
 */
import type { Entity } from './seed';

/** An id the matrix fills with the other user's row of `entities` (each in turn). */
export interface IdSlot {
  entities: Entity[];
  /** Whether the door accepts an id prefix (refs do; a referenceId must be a full uuid). */
  prefixes: boolean;
  /**
   * What the door must answer: `not_found`; `validation_error` for list cursors (an unknown cursor
   * is invalid input); `forbidden` for operator doors (outbox events) called by a non-admin.
   */
  expect: 'not_found' | 'validation_error' | 'forbidden';
}

export type Classification = { slot: IdSlot } | { exempt: string } | { unknown: string };

/** The entity of a `[id]` segment, by the collection segment before it. */
const collections: Record<string, Entity> = { tasks: 'task', habits: 'habit', meetings: 'meeting', blocks: 'block' };

/** The entity of a tool's `id` field, by the tool's name prefix. */
const toolPrefixes: Record<string, Entity> = { task: 'task', habit: 'habit', meeting: 'meeting', schedule: 'block' };

/** The entity of a CLI `<id>` argument, by its command group. */
const cliGroups: Record<string, Entity> = { task: 'task', habit: 'habit', meeting: 'meeting', schedule: 'block' };

const ref = (entity: Entity): IdSlot => ({ entities: [entity], prefixes: true, expect: 'not_found' });
const cursorOf = (entity: Entity): IdSlot => ({ entities: [entity], prefixes: false, expect: 'validation_error' });

/** Path params that are not ids of a user's rows. */
const exemptPathParams: Record<string, string> = {
  file: 'the ICS feed file name: the secret token in it is the credential (whoever holds it reads that feed), not an id looked up for a session',
  nextauth: 'next-auth\'s catch-all (sign-in, callbacks, session): no user data is addressed by id',
  path: 'REST v1\'s catch-all for paths no route serves: it answers 404 `not_found` to everyone and reads nothing',
};

/** Field names (body, query, tool input) that carry an id or something derived from one. */
export const idLikeField = /^(id|ids|prefix|cursor|calendar|\w+Id|\w+Ids)$/;

/** Fields that look like ids but address something outside Orbita's rows. */
const exemptFields: Record<string, string> = {
  calendar: 'a Google calendar id: it is read from the caller\'s own Google account, never from Orbita rows',
};

export function classifyPathParam(param: { name: string; after: string }, routePath: string): Classification {
  if (param.name === 'id') {
    const entity = collections[param.after];
    if (entity) return { slot: ref(entity) };
    return { unknown: `${routePath}: [id] after "${param.after}" — add "${param.after}" to \`collections\` in test/security/classify.ts (which entity is it?)` };
  }
  if (exemptPathParams[param.name]) return { exempt: exemptPathParams[param.name] };
  return { unknown: `${routePath}: the path param [${param.name}] is unknown — classify it in test/security/classify.ts (an entity id → collections; not a user's row → exemptPathParams with the reason)` };
}

/**
 * A body/query/tool field that looks like an id. `owner` is the entity of the door (the REST path's
 * collection or the tool's prefix), used for `id` and `cursor`.
 */
export function classifyField(field: string, owner: Entity | 'completion' | undefined, where: string): Classification {
  if (exemptFields[field]) return { exempt: exemptFields[field] };
  if (field === 'id' && owner && owner !== 'completion') return { slot: ref(owner) };
  if (field === 'cursor' && owner) return { slot: cursorOf(owner) };
  if (field === 'prefix') return { slot: { entities: ['task', 'habit'], prefixes: true, expect: 'not_found' } };
  if (field === 'referenceId') return { slot: { entities: ['task', 'habit', 'meeting'], prefixes: false, expect: 'not_found' } };
  return { unknown: `${where}: the field "${field}" looks like an id — classify it in classifyField (test/security/classify.ts) and give the door a valid input in test/security/isolation.test.ts` };
}

export function toolOwner(toolName: string): Entity | undefined {
  return toolPrefixes[toolName.split('_')[0]];
}

/** The entity of a REST path's last collection (`/api/v1/habits/[id]/completions` → completion). */
export function pathOwner(routePath: string): Entity | 'completion' | undefined {
  const segments = routePath.split('/').filter((s) => !s.startsWith('['));
  const last = segments[segments.length - 1];
  if (last === 'completions') return 'completion';
  return collections[last];
}

export function classifyCliArgument(name: string, commandPath: string[]): Classification {
  const where = `orbita ${commandPath.join(' ')} <${name}>`;
  if (/^(\w+-)?id$/.test(name)) {
    const entity = cliGroups[commandPath[0]];
    if (entity) return { slot: ref(entity) };
    return { unknown: `${where}: no entity for the command group "${commandPath[0]}" — add it to \`cliGroups\` in test/security/classify.ts` };
  }
  if (name === 'prefix') return { slot: { entities: ['task', 'habit'], prefixes: true, expect: 'not_found' } };
  return { exempt: 'not an id' };
}

/** Options that take an id value (`--ref <id>`, `--id <event-id>`, `--calendar <id>`). */
export function classifyCliOption(flag: string, valueName: string, commandPath: string[]): Classification {
  if (flag === '--state') {
    return { exempt: 'an OAuth state: exchangeCode accepts only a state the caller started (test/calendar/oauth-routes.test.ts, "refuses a state another user started")' };
  }
  if (!/(^|-)id$/.test(valueName) && !/-(id|ref)$/.test(flag)) return { exempt: 'not an id' };
  const where = `orbita ${commandPath.join(' ')} ${flag} <${valueName}>`;
  if (flag === '--ref') return { slot: { entities: ['task', 'habit', 'meeting'], prefixes: false, expect: 'not_found' } };
  if (flag === '--calendar') return { exempt: exemptFields.calendar };
  if (commandPath[0] === 'outbox' && flag === '--id') return { exempt: 'an operator command over the whole outbox (it acts on events, not as a user)' };
  return { unknown: `${where}: an option taking an id — classify it in classifyCliOption (test/security/classify.ts)` };
}
