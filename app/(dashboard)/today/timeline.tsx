'use client';

import { type FormEvent, useEffect, useOptimistic, useRef, useState, useTransition } from 'react';
import { timeInputProps } from '@/components/time-input';
import { useToast } from '@/components/toast';
import { formatMinute, parseMinute, tidyTime, wallClock } from '@/lib/format';
import { completeBlockAction, moveBlockAction, removeBlockAction } from '../schedule-actions';
import { callAction } from '../call-action';
import { dayRange, minBlockPx, placeInLanes, pxPerMinute, type TimelineBlock, timelineBoxHeight } from './timeline-layout';

/** Colour and a text label per type, so the type never depends on colour alone. */
const typeStyle: Record<TimelineBlock['type'], { label: string; card: string; badge: string }> = {
  task: { label: 'Task', card: 'border-indigo-600 bg-indigo-50 dark:bg-indigo-950', badge: 'bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100' },
  habit: { label: 'Habit', card: 'border-emerald-600 bg-emerald-50 dark:bg-emerald-950', badge: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100' },
  meeting: { label: 'Meeting', card: 'border-amber-600 bg-amber-50 dark:bg-amber-950', badge: 'bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100' },
  focus: { label: 'Focus', card: 'border-violet-600 bg-violet-50 dark:bg-violet-950', badge: 'bg-violet-100 text-violet-900 dark:bg-violet-900 dark:text-violet-100' },
  break: { label: 'Break', card: 'border-slate-500 bg-slate-100 dark:bg-slate-800', badge: 'bg-slate-200 text-slate-900 dark:bg-slate-700 dark:text-slate-100' },
  event: { label: 'Event', card: 'border-sky-600 bg-sky-50 dark:bg-sky-950', badge: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100' },
};

const statusBadge: Record<TimelineBlock['status'], { label: string; className: string } | null> = {
  planned: null,
  completed: { label: '✓ Completed', className: 'text-emerald-800 dark:text-emerald-200' },
  missed: { label: 'Missed', className: 'text-red-800 dark:text-red-200' },
};

const smallButton =
  'inline-flex h-6 min-w-6 shrink-0 items-center justify-center rounded border border-slate-400 bg-white px-1.5 text-xs font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-60 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800';

/** The left gutter holding the hour labels. */
const gutter = '3.25rem';

type Change = { kind: 'complete'; id: string } | { kind: 'remove'; id: string } | { kind: 'move'; id: string; startMinute: number; endMinute: number };

function applyChange(blocks: TimelineBlock[], change: Change): TimelineBlock[] {
  if (change.kind === 'remove') return blocks.filter((b) => b.id !== change.id);
  return blocks.map((b) => {
    if (b.id !== change.id) return b;
    return change.kind === 'complete' ? { ...b, status: 'completed' } : { ...b, startMinute: change.startMinute, endMinute: change.endMinute };
  });
}

/** The now-line: placed from the server's "now" (so the first paint matches), then kept current every minute. */
function useNowMinute(initial: number, timeZone: string, live: boolean): number {
  const [minute, setMinute] = useState(initial);
  useEffect(() => {
    if (!live) return;
    const tick = () => setMinute(wallClock(Date.now(), timeZone).minute);
    let timer: ReturnType<typeof setInterval> | undefined;
    // First tick on the next minute boundary, then every minute.
    const align = setTimeout(() => {
      tick();
      timer = setInterval(tick, 60_000);
    }, 60_000 - (Date.now() % 60_000));
    return () => {
      clearTimeout(align);
      clearInterval(timer);
    };
  }, [live, timeZone]);
  return minute;
}

interface TimelineProps {
  blocks: TimelineBlock[];
  workingHours: { start: number; end: number } | null;
  dayLabel: string;
  timeZone: string;
  /** Minutes after midnight of the server's "now" when the viewed day is today; null otherwise. */
  nowMinute: number | null;
}

export function Timeline({ blocks, workingHours, dayLabel, timeZone, nowMinute }: TimelineProps) {
  const toast = useToast();
  const [shown, change] = useOptimistic(blocks, applyChange);
  const [pending, startTransition] = useTransition();
  const [movingId, setMovingId] = useState<string | null>(null);
  const now = useNowMinute(nowMinute ?? 0, timeZone, nowMinute !== null);

  // The range follows the server's blocks, not the optimistic ones, so a move never reflows the rows.
  const range = dayRange(workingHours, blocks);
  const height = (range.end - range.start) * pxPerMinute;
  const top = (minute: number) => (minute - range.start) * pxPerMinute;
  const hours = Array.from({ length: (range.end - range.start) / 60 + 1 }, (_, i) => range.start + i * 60);

  const complete = (block: TimelineBlock) =>
    startTransition(async () => {
      change({ kind: 'complete', id: block.id });
      const result = await callAction(() => completeBlockAction(block.id));
      if (result.ok) toast('success', `Completed “${block.title}”`);
      else toast('error', `Could not complete “${block.title}”: ${result.error.message}`);
    });

  const remove = (block: TimelineBlock) =>
    startTransition(async () => {
      change({ kind: 'remove', id: block.id });
      const result = await callAction(() => removeBlockAction(block.id));
      if (result.ok) toast('success', `Removed “${block.title}”`);
      else toast('error', `Could not remove “${block.title}”: ${result.error.message}`);
    });

  const move = (block: TimelineBlock, startMinute: number) => {
    const endMinute = startMinute + (block.endMinute - block.startMinute);
    setMovingId(null);
    startTransition(async () => {
      change({ kind: 'move', id: block.id, startMinute, endMinute });
      const result = await callAction(() => moveBlockAction(block.id, { date: block.date, start: formatMinute(startMinute), end: formatMinute(endMinute) }));
      if (result.ok) toast('success', `Moved “${block.title}” to ${result.data.startTime}–${result.data.endTime}`);
      else toast('error', `Could not move “${block.title}”: ${result.error.message}`);
      document.getElementById(`move-${block.id}`)?.focus();
    });
  };

  const placed = placeInLanes(shown);
  const moving = shown.find((b) => b.id === movingId) ?? null;
  const nowShown = nowMinute !== null && now >= range.start && now <= range.end;

  // On load the box scrolls to the now-line (a third of the way down), not the page: the heading and Quick add stay where they are.
  const scroller = useRef<HTMLDivElement>(null);
  const nowTop = nowShown ? top(now) : null;
  const initialNowTop = useRef(nowTop);
  useEffect(() => {
    const box = scroller.current;
    if (box && initialNowTop.current !== null) box.scrollTop = Math.max(0, initialNowTop.current - box.clientHeight / 3);
  }, []);

  return (
    <div
      ref={scroller}
      role="region"
      aria-label="Timeline"
      tabIndex={0}
      data-testid="timeline-scroll"
      className={`${timelineBoxHeight} overflow-y-auto rounded-lg pt-2`}
    >
      <div className="relative mb-2" style={{ height }} data-testid="timeline" aria-busy={pending || undefined}>
        {hours.map((minute) => (
          <div key={minute} aria-hidden="true" className="absolute inset-x-0 flex items-start" style={{ top: top(minute) }}>
            <span className="w-12 -translate-y-1/2 pr-2 text-right text-xs tabular-nums text-slate-600 dark:text-slate-400" data-testid="timeline-hour">
              {formatMinute(minute)}
            </span>
            <span className="flex-1 border-t border-slate-200 dark:border-slate-800" />
          </div>
        ))}

        <ol aria-label={`Blocks on ${dayLabel}`} className="contents">
          {placed.map(({ block, lane, lanes }) => {
            const style = typeStyle[block.type];
            const status = statusBadge[block.status];
            const blockTop = top(block.startMinute);
            const blockHeight = Math.max(minBlockPx, (block.endMinute - block.startMinute) * pxPerMinute) - 2;
            const time = `${formatMinute(block.startMinute)}–${formatMinute(block.endMinute)}`;
            return (
              <li
                key={block.id}
                data-testid="timeline-block"
                data-block-id={block.id}
                data-status={block.status}
                className={`absolute overflow-hidden rounded-md border-l-4 px-2 py-0.5 text-sm text-slate-900 shadow-sm dark:text-slate-100 ${style.card}`}
                style={{
                  top: blockTop + 1,
                  height: blockHeight,
                  left: `calc(${gutter} + (100% - ${gutter}) * ${lane / lanes})`,
                  width: `calc((100% - ${gutter}) / ${lanes} - 4px)`,
                }}
              >
                <div className="flex h-6 items-center gap-1.5">
                  <span className={`shrink-0 rounded px-1 text-xs font-medium ${style.badge}`}>{style.label}</span>
                  {/* On a phone the row keeps its width for the title; the time is on the second line (and the block's place on the grid). */}
                  <span className="sr-only text-xs tabular-nums sm:not-sr-only sm:shrink-0" data-testid="block-time">
                    {time}
                  </span>
                  <span title={block.title} className={`min-w-0 flex-1 truncate font-medium ${block.status === 'completed' ? 'line-through' : ''}`}>
                    {block.title}
                  </span>
                  {status ? <span className={`shrink-0 text-xs font-semibold ${status.className}`}>{status.label}</span> : null}
                  {block.imported ? (
                    <span className="shrink-0 text-xs text-slate-700 dark:text-slate-300">Imported</span>
                  ) : (
                    <>
                      {block.status === 'planned' ? (
                        <button type="button" className={smallButton} disabled={pending} onClick={() => complete(block)} aria-label={`Complete ${block.title}`} title="Complete">
                          ✓
                        </button>
                      ) : null}
                      {block.status === 'completed' ? null : (
                        <button
                          type="button"
                          id={`move-${block.id}`}
                          className={smallButton}
                          disabled={pending}
                          onClick={() => setMovingId(movingId === block.id ? null : block.id)}
                          aria-label={`Move ${block.title}`}
                          aria-expanded={movingId === block.id}
                          aria-controls={movingId === block.id ? 'move-form' : undefined}
                          title="Move"
                        >
                          Move
                        </button>
                      )}
                      <button type="button" className={smallButton} disabled={pending} onClick={() => remove(block)} aria-label={`Remove ${block.title}`} title="Remove">
                        ✕
                      </button>
                    </>
                  )}
                </div>
                {block.minutes >= 40 ? (
                  <p aria-hidden="true" className="truncate text-xs text-slate-700 dark:text-slate-300">
                    <span className="tabular-nums sm:hidden">{time} · </span>
                    {block.minutes} min
                  </p>
                ) : null}
              </li>
            );
          })}
        </ol>

        {moving ? (
          <MoveForm
            key={moving.id}
            block={moving}
            top={top(moving.startMinute) + Math.max(minBlockPx, (moving.endMinute - moving.startMinute) * pxPerMinute) + 2}
            onMove={(minute) => move(moving, minute)}
            onCancel={() => {
              setMovingId(null);
              document.getElementById(`move-${moving.id}`)?.focus();
            }}
          />
        ) : null}

        {nowTop !== null ? (
          <div data-testid="now-line" className="pointer-events-none absolute right-0 z-10 border-t-2 border-red-600" style={{ top: nowTop, left: gutter }}>
            <span aria-hidden="true" className="absolute -left-1.5 -top-[5px] h-2 w-2 rounded-full bg-red-600" />
            <span className="sr-only">Now {formatMinute(now)}</span>
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** A small form under the block: a new start time (HH:MM), the duration stays. */
function MoveForm({ block, top, onMove, onCancel }: { block: TimelineBlock; top: number; onMove: (startMinute: number) => void; onCancel: () => void }) {
  const [value, setValue] = useState(formatMinute(block.startMinute));
  const [error, setError] = useState<string | null>(null);
  const duration = block.endMinute - block.startMinute;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const start = parseMinute(tidyTime(value) ?? value);
    if (start === null || start >= 1440) return setError('Enter a start time as HH:MM, e.g. 14:30.');
    if (start + duration > 1440) return setError(`A ${duration}-minute block starting then would run past midnight.`);
    if (start === block.startMinute) return onCancel();
    onMove(start);
  };
  return (
    <form
      id="move-form"
      noValidate
      onSubmit={submit}
      onKeyDown={(event) => event.key === 'Escape' && onCancel()}
      aria-label={`Move ${block.title}`}
      className="absolute right-0 z-20 space-y-2 rounded-lg border border-slate-300 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
      style={{ top, left: gutter }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor="move-start" className="block font-medium">
            New start time
          </label>
          <input
            id="move-start"
            {...timeInputProps(value, setValue)}
            autoFocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'move-start-error move-start-hint' : 'move-start-hint'}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <button type="submit" className="rounded-md bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-700">
          Save time
        </button>
        <button type="button" onClick={onCancel} className="rounded-md border border-slate-300 px-3 py-1.5 hover:bg-slate-100 dark:border-slate-700 dark:hover:bg-slate-800">
          Cancel
        </button>
      </div>
      <p id="move-start-hint" className="text-xs text-slate-600 dark:text-slate-400">
        Keeps its {duration} minutes.
      </p>
      {error ? (
        <p id="move-start-error" role="alert" className="text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
