'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  href: string;
  label: string;
}

/** The dashboard's page links; the current page is marked for screen readers and by colour. They wrap on a narrow screen (never hidden sideways). */
export function MainNav({ items, className = '' }: { items: NavItem[]; className?: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className={`-mx-1 ${className}`}>
      <ul className="flex flex-wrap gap-1 text-sm font-medium">
        {items.map((item) => {
          const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? 'page' : undefined}
                className={`block whitespace-nowrap rounded-md px-2 py-1 ${
                  current
                    ? 'bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200'
                    : 'text-slate-700 hover:text-indigo-700 dark:text-slate-300 dark:hover:text-indigo-300'
                }`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
