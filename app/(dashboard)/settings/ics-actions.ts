'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { toAppError } from '@/lib/http/errors';
import { sessionContext } from '@/lib/identity/session';
import { disableIcsFeed, enableIcsFeed, getIcsFeed, type IcsFeedView } from '@/lib/scheduling/ics-feed';

export interface IcsFeedState {
  /** The full feed URL, or null when the feed is off. */
  url: string | null;
  error: string | null;
}

/** The site's public origin: NEXTAUTH_URL when set (the canonical URL), else the request's host. */
async function siteOrigin(): Promise<string> {
  const configured = process.env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).origin;
    } catch {
      // fall through to the request headers
    }
  }
  const h = await headers();
  const host = h.get('x-forwarded-host') ?? h.get('host') ?? 'localhost:3000';
  const proto = h.get('x-forwarded-proto') ?? (host.startsWith('localhost') || host.startsWith('127.') ? 'http' : 'https');
  return `${proto}://${host}`;
}

async function absolute(view: IcsFeedView): Promise<string | null> {
  return view.path ? `${await siteOrigin()}${view.path}` : null;
}

/** The signed-in user's feed URL (null when off), for the Settings page. */
export async function currentIcsFeedUrl(): Promise<string | null> {
  return absolute(await getIcsFeed((await sessionContext()).ctx));
}

/** One action for the section's buttons: `intent` is `create`, `rotate` or `off`. */
export async function icsFeedAction(previous: IcsFeedState, form: FormData): Promise<IcsFeedState> {
  const intent = String(form.get('intent') ?? '');
  try {
    const ctx = (await sessionContext()).ctx;
    let view: IcsFeedView;
    if (intent === 'create' || intent === 'rotate') view = await enableIcsFeed(ctx);
    else if (intent === 'off') view = await disableIcsFeed(ctx);
    else return { ...previous, error: 'unknown action' };
    revalidatePath('/settings');
    return { url: await absolute(view), error: null };
  } catch (error) {
    const appError = toAppError(error);
    if (appError) return { ...previous, error: appError.message };
    throw error;
  }
}
