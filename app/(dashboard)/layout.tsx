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
        <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3">
            <div className="flex min-w-0 flex-1 items-center gap-4">
              <Link href="/today" className="text-lg font-bold text-indigo-700 dark:text-indigo-300">
                Orbita
              </Link>
              <MainNav items={user.isAdmin ? [...pages, ...adminPages] : pages} />
            </div>
            <div className="flex items-center gap-3 text-sm">
              <span className="hidden text-slate-600 sm:inline dark:text-slate-400" data-testid="signed-in-as">
                {user.email ?? user.name}
              </span>
              <SignOutButton />
            </div>
          </div>
        </header>
        <CalendarReconnectBanner userId={user.id} />
        <main id="main" className="mx-auto max-w-6xl px-4 py-8">
          {children}
        </main>
      </div>
    </ToastProvider>
  );
}
