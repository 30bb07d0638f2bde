import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ServiceContext } from '../context';
import type { DbTx } from '../db/client';
import { notFound } from '../errors';
import { localDateSchema, wholeNumberSchema } from '../shared/schemas';
import { addDays, localDate, localDayBounds } from '../time';
import { type IcsBlock, renderIcs } from './ics';

/**
 * ICS export (`orbita export --format ics`) and the per-user secret feed URL
 * (`/api/ics/<token>.ics`) calendar apps subscribe to. The token is the only credential of the
 * feed: 32 random bytes, base64url, stored in UserSettings.icsFeedToken (unique); rotating replaces
 * it, turning the feed off clears it.
 */

export const exportIcsSchema = z
  .object({
    days: wholeNumberSchema(1, 366, 'days must be a whole number between 1 and 366', { rangeMessage: 'days must be between 1 and 366' })
      .default(14)
      .describe('How many local days to export, 1–366 (default 14)'),
    from: localDateSchema('from').optional().describe('First local day YYYY-MM-DD (default today in your time zone)'),
  })
  .strict();
export type ExportIcsInput = z.input<typeof exportIcsSchema>;

/** The feed serves this window around today: a week back (recent history) and 60 days ahead. */
export const feedDaysBack = 7;
export const feedDaysAhead = 60;

/** 32 random bytes in base64url: 43 characters. */
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export interface IcsFeedView {
  /** `/api/ics/<token>.ics` (prefix the site's origin), or null when the feed is off. */
  path: string | null;
}

export const icsFeedPath = (token: string) => `/api/ics/${token}.ics`;

const blockFields = { id: true, type: true, title: true, startAt: true, endAt: true, status: true, source: true, updatedAt: true } as const;

/**
 * The user's blocks overlapping [start, end). Imported blocks are left out: they came from the
 * user's own calendar, and publishing them back would show every such event twice.
 */
async function blocksBetween(db: DbTx, userId: string, start: Date, end: Date): Promise<IcsBlock[]> {
  return db.scheduleBlock.findMany({
    where: { userId, source: 'orbita', startAt: { lt: end }, endAt: { gt: start } },
    select: blockFields,
    orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
  });
}

async function owner(db: DbTx, userId: string): Promise<{ name: string | null; timeZone: string }> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { name: true, timeZone: true } });
  if (!user) throw notFound('user');
  return user;
}

const calendarName = (name: string | null) => (name ? `Orbita (${name})` : 'Orbita');

/** ICS text of the user's blocks from `from` (default today, local) for `days` local days. */
export async function exportIcs(ctx: ServiceContext, input: ExportIcsInput = {}): Promise<string> {
  const { days, from } = exportIcsSchema.parse(input);
  const user = await owner(ctx.db, ctx.userId);
  const now = ctx.now();
  const first = from ?? localDate(now, user.timeZone);
  const start = localDayBounds(first, user.timeZone).start;
  const end = localDayBounds(addDays(first, days), user.timeZone).start;
  const blocks = await blocksBetween(ctx.db, ctx.userId, start, end);
  return renderIcs(blocks, { calendarName: calendarName(user.name), zone: user.timeZone, now });
}

/** The user's feed path, or null when the feed is off. */
export async function getIcsFeed(ctx: ServiceContext): Promise<IcsFeedView> {
  const settings = await ctx.db.userSettings.findUnique({ where: { userId: ctx.userId }, select: { icsFeedToken: true } });
  return { path: settings?.icsFeedToken ? icsFeedPath(settings.icsFeedToken) : null };
}

/** Turns the feed on with a fresh secret token; when it is already on, rotates it (the old URL stops working). */
export async function enableIcsFeed(ctx: ServiceContext): Promise<IcsFeedView & { path: string }> {
  const token = randomBytes(32).toString('base64url');
  await ctx.db.userSettings.upsert({
    where: { userId: ctx.userId },
    create: { userId: ctx.userId, icsFeedToken: token, updatedAt: ctx.now() },
    update: { icsFeedToken: token },
  });
  return { path: icsFeedPath(token) };
}

/** Turns the feed off: its URL answers 404 from now on. */
export async function disableIcsFeed(ctx: ServiceContext): Promise<IcsFeedView> {
  await ctx.db.userSettings.updateMany({ where: { userId: ctx.userId }, data: { icsFeedToken: null } });
  return { path: null };
}

/**
 * The feed for a secret token: ICS of its owner's blocks from 7 days ago to 60 days ahead (local
 * days), or null when no user has this token. The token is looked up by its unique column.
 */
export async function icsForFeedToken(db: DbTx, token: string, now: Date = new Date()): Promise<string | null> {
  if (!tokenPattern.test(token)) return null;
  const settings = await db.userSettings.findUnique({ where: { icsFeedToken: token }, select: { userId: true } });
  if (!settings) return null;
  const user = await owner(db, settings.userId);
  const today = localDate(now, user.timeZone);
  const start = localDayBounds(addDays(today, -feedDaysBack), user.timeZone).start;
  const end = localDayBounds(addDays(today, feedDaysAhead + 1), user.timeZone).start;
  const blocks = await blocksBetween(db, settings.userId, start, end);
  return renderIcs(blocks, { calendarName: calendarName(user.name), zone: user.timeZone, now });
}
