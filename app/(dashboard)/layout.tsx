import Link from 'next/link';
import type { ReactNode } from 'react';
import { requireSessionUser } from '@/lib/identity/session';
import { CalendarReconnectBanner } from './calendar-banner';
import { SignOutButton } from './sign-out-button';

export const dynamic = 'force-dynamic';

const nav = [
  { href: '/today', label: 'Today' },
  { href: '/billing', label: 'Billing' },
  { href: '/settings', label: 'Settings' },
];

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireSessionUser();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-4 py-3">
          <div className="flex items-center gap-6">
            <Link href="/today" className="text-lg font-bold text-indigo-700 dark:text-indigo-400">
              Orbita
            </Link>
            <nav aria-label="Main">
              <ul className="flex gap-4 text-sm font-medium">
                {nav.map((item) => (
                  <li key={item.href}>
                    <Link href={item.href} className="hover:text-indigo-700 dark:hover:text-indigo-400">
                      {item.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
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
      <main className="mx-auto max-w-5xl px-4 py-8">{children}</main>
    </div>
  );
}
