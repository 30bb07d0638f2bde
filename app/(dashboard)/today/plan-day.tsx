'use client';

import { useState, useTransition } from 'react';
import { buttonClass } from '@/components/field';
import { useToast } from '@/components/toast';
import type { AutoScheduleResult } from '@/lib/scheduling/auto';
import { planDayAction } from '../schedule-actions';
import { callAction } from '../call-action';

const kindLabel: Record<string, string> = { task: 'task', habit: 'habit', meeting: '1:1' };

/** "Plan my day": runs the auto-scheduler for the viewed day and lists what it placed and what it could not. */
export function PlanDay({ date }: { date?: string }) {
  const toast = useToast();
  const [result, setResult] = useState<AutoScheduleResult | null>(null);
  const [pending, startTransition] = useTransition();

  const plan = () =>
    startTransition(async () => {
      const answer = await callAction(() => planDayAction(date));
      if (!answer.ok) {
        toast('error', `Could not plan the day: ${answer.error.message}`);
        return;
      }
      setResult(answer.data);
      const { placed, failures } = answer.data;
      toast(failures.length && !placed.length ? 'info' : 'success', placed.length || failures.length ? `Planned ${placed.length} item${placed.length === 1 ? '' : 's'}${failures.length ? `, ${failures.length} not placed` : ''}` : 'Nothing to plan');
    });

  const empty = result && !result.placed.length && !result.failures.length;
  return (
    <div className="space-y-3">
      <button type="button" className={buttonClass} onClick={plan} disabled={pending} aria-describedby="plan-hint">
        {pending ? 'Planning…' : 'Plan my day'}
      </button>
      <p id="plan-hint" className="text-sm text-slate-600 dark:text-slate-400">
        Places open tasks and habits due in your free time.
      </p>
      <div role="status" data-testid="plan-result" className="text-sm">
        {empty ? <p>Nothing to plan: add a task first.</p> : null}
        {result && !empty ? (
          <div className="space-y-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800">
            <p className="font-medium">
              Planned {result.placed.length} · {result.failures.length} not placed · {Math.round(result.utilisation)}% of working time busy
            </p>
            {result.placed.length ? (
              <ul aria-label="Placed" className="space-y-1" data-testid="plan-placed">
                {result.placed.map((block) => (
                  <li key={block.id}>
                    <span className="tabular-nums">
                      {block.startTime}–{block.endTime}
                    </span>{' '}
                    {block.title} <span className="text-slate-600 dark:text-slate-400">({kindLabel[block.kind] ?? block.kind})</span>
                  </li>
                ))}
              </ul>
            ) : null}
            {result.failures.length ? (
              <ul aria-label="Not placed" className="space-y-1" data-testid="plan-failures">
                {result.failures.map((failure) => (
                  <li key={`${failure.kind}-${failure.refId}-${failure.date ?? ''}`}>
                    <span className="font-medium">{failure.title}</span>: <span className="text-red-700 dark:text-red-400">{failure.reason}</span>
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
