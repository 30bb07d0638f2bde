import type { ReactNode } from 'react';

export function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-6 rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <div className="space-y-1">
          <p className="text-sm font-semibold tracking-wide text-indigo-700 dark:text-indigo-400">Orbita</p>
          <h1 className="text-2xl font-bold">{title}</h1>
        </div>
        {children}
        <p className="text-sm text-slate-600 dark:text-slate-400">{footer}</p>
      </div>
    </main>
  );
}
