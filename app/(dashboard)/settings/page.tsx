import type { Metadata } from 'next';
import { formatDateTime } from '@/lib/format';
import { googleSignInEnabled } from '@/lib/identity/auth-options';
import { hasGoogleSignIn } from '@/lib/identity/google-sign-in';
import { getProfile } from '@/lib/identity/profile';
import { sessionContext } from '@/lib/identity/session';
import { listAccessTokens } from '@/lib/identity/tokens';
import { loadCalendarSection } from './calendar-actions';
import { CalendarSection } from './calendar-section';
import { googleSignInFlash } from './google-sign-in-flash';
import { GoogleSignInSection } from './google-sign-in-section';
import { currentIcsFeedUrl } from './ics-actions';
import { IcsSection } from './ics-section';
import { ProfileSection } from './profile-section';
import { TokensSection } from './tokens-section';

export const metadata: Metadata = { title: 'Settings' };

/** The zones the server accepts (UTC is valid but not in Intl's list of canonical zones). */
const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC')];

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { ctx, user } = await sessionContext();
  const params = await searchParams;
  const google = googleSignInEnabled();
  const [tokens, profile, googleLinked] = await Promise.all([listAccessTokens(ctx), getProfile(ctx), google ? hasGoogleSignIn(ctx) : false]);
  return (
    <div className="space-y-10">
      <h1 className="text-2xl font-bold">Settings</h1>
      <ProfileSection email={user.email} profile={profile} timeZones={timeZones} />
      {google ? <GoogleSignInSection linked={googleLinked} flash={googleSignInFlash(params.google)} /> : null}
      <TokensSection
        tokens={tokens.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          scopes: t.scopes,
          createdAt: t.createdAt.toISOString(),
          lastUsed: t.lastUsedAt ? formatDateTime(t.lastUsedAt, user.timeZone) : null,
          revokedAt: t.revokedAt?.toISOString() ?? null,
        }))}
      />
      <IcsSection url={await currentIcsFeedUrl()} />
      <CalendarSection data={await loadCalendarSection(params)} />
    </div>
  );
}
