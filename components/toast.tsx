'use client';

import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

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
 * Toasts for action results. They float over the page so they never shift the layout: bottom right
 * on a wide screen, along the bottom on a phone, away from the header, the navigation and the page
 * heading, and at most half the screen high (the oldest are cut off first). Their height is published
 * as `--toast-space`, which the dashboard adds to the page's bottom padding, so whatever they cover
 * can be scrolled out from under them. A polite live region announces successes and an assertive one
 * announces errors. Errors stay until dismissed or replaced; the others fade after 5 s.
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
  const stack = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = stack.current;
    if (!element) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--toast-space', `${element.offsetHeight ? element.offsetHeight + 16 : 0}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--toast-space');
    };
  }, []);
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
      <div ref={stack} data-testid="toasts" className="pointer-events-none fixed inset-x-4 bottom-4 z-50 flex max-h-[50dvh] flex-col items-stretch justify-end gap-2 overflow-hidden sm:left-auto sm:w-96 sm:items-end">
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
