'use client';

import { createContext, type ReactNode, useCallback, useContext, useMemo, useRef, useState } from 'react';

export type ToastKind = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

type Notify = (kind: ToastKind, message: string) => void;

const ToastContext = createContext<Notify | null>(null);

const kindClass: Record<ToastKind, string> = {
  success: 'border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-700 dark:bg-emerald-950 dark:text-emerald-100',
  error: 'border-red-300 bg-red-50 text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100',
  info: 'border-slate-300 bg-white text-slate-900 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100',
};

/**
 * Toasts for action results. They float over the page (fixed, bottom right) so they never shift the
 * layout; a polite live region announces successes and an assertive one announces errors.
 * Errors stay until dismissed or replaced; the others fade after 5 s.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const notify = useCallback<Notify>(
    (kind, message) => {
      const id = nextId.current++;
      setToasts((list) => [...list.slice(-3), { id, kind, message }]);
      if (kind !== 'error') setTimeout(() => dismiss(id), 5000);
    },
    [dismiss],
  );
  const value = useMemo(() => notify, [notify]);
  const region = (kinds: ToastKind[], live: 'polite' | 'assertive') => (
    <div aria-live={live} role={live === 'assertive' ? 'alert' : 'status'} className="contents">
      {toasts
        .filter((t) => kinds.includes(t.kind))
        .map((t) => (
          <div key={t.id} data-testid={`toast-${t.kind}`} className={`pointer-events-auto flex items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg ${kindClass[t.kind]}`}>
            <p className="flex-1">{t.message}</p>
            <button type="button" onClick={() => dismiss(t.id)} className="rounded px-1 font-semibold opacity-80 hover:opacity-100" aria-label="Dismiss notification">
              ×
            </button>
          </div>
        ))}
    </div>
  );
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="pointer-events-none fixed inset-x-4 bottom-4 z-50 flex flex-col items-end gap-2 sm:left-auto sm:w-96">
        {region(['success', 'info'], 'polite')}
        {region(['error'], 'assertive')}
      </div>
    </ToastContext.Provider>
  );
}

/** `toast(kind, message)`; outside a ToastProvider it is a no-op. */
export function useToast(): Notify {
  return useContext(ToastContext) ?? noop;
}

const noop: Notify = () => {};
