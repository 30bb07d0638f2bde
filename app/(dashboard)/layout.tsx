import Link from 'next/link';
import type { ReactNode } from 'react';
import { ToastProvider } from '@/components/toast';
import { requireSessionUser } from '@/lib/identity/session';
import { CalendarReconnectBanner } from './calendar-banner';
import { MainNav, type NavItem } from './main-nav';
import { SignOutButton } from './sign-out-button';

export const dynamic = 'force-dynamic';

const pages: NavItem[] = [
  { href: '/today', label: 'Today' },
  { href: '/week', label: 'Week' },
  { href: '/tasks', label: 'Tasks' },
  { href: '/habits', label: 'Habits' },
  { href: '/meetings', label: 'Meetings' },
  { href: '/billing', label: 'Billing' },
  { href: '/settings', label: 'Settings' },
];

/** Operations (outbox stats, dead letters) is only for admin users. */
const adminPages: NavItem[] = [{ href: '/operations', label: 'Operations' }];

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <ToastProvider>
      <div className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-slate-900">
          Skip to content
        </a>
        {/* On a phone the links get a row of their own and wrap: every page is one tap away, nothing scrolls sideways. */}
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto grid max-w-6xl grid-cols-[auto_1fr_auto] items-center gap-x-4 gap-y-2 px-4 py-3">
            <Link href="/today" className="text-lg font-bold text-indigo-700 dark:text-indigo-300">
              Orbita
            </Link>
            <MainNav items={user.isAdmin ? [...pages, ...adminPages] : pages} className="col-span-full row-start-2 min-w-0 sm:col-span-1 sm:col-start-2 sm:row-start-1" />
            <div className="col-start-3 row-start-1 flex min-w-0 items-center justify-end gap-3 text-sm">
              <span className="hidden truncate text-slate-600 md:inline dark:text-slate-400" data-testid="signed-in-as">
                {user.email ?? user.name}
              </span>
              <SignOutButton />
            </div>
          </div>
        </header>
        <CalendarReconnectBanner userId={user.id} />
        {/* The bottom padding grows with the toasts (components/toast.tsx), so the end of a page can always be scrolled out from under them. */}
        <main id="main" className="mx-auto max-w-6xl px-4 pt-8 pb-[calc(2rem+var(--toast-space,0px))]">
          {children}
        </main>
      </div>
    </ToastProvider>
  );
}
