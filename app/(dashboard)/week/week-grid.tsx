'use client';

import Link from 'next/link';
import { type KeyboardEvent, type PointerEvent, useEffect, useOptimistic, useRef, useState, useTransition } from 'react';
import { useToast } from '@/components/toast';
import { formatMinute, wallClock } from '@/lib/format';
import { moveBlockAction } from '../schedule-actions';
import {
  type BlockKind,
  dayMinutes,
  fitsGrid,
  type GridBlock,
  type GridDay,
  isMovable,
  layoutSegments,
  pxPerMinute,
  type Segment,
  snapMinutes,
} from './grid';

interface Target {
  day: number;
  start: number;
}

/** The block being moved and where it would land (null: outside the grid, it would snap back). */
interface Moving {
  id: string;
  via: 'pointer' | 'keyboard';
  target: Target | null;
}

interface Drag {
  id: string;
  pointerId: number;
  x0: number;
  y0: number;
  /** A press becomes a drag only after a few pixels, so a click or a tap moves nothing. */
  started: boolean;
}

const typeColour: Record<BlockKind, string> = {
  task: 'border-sky-600 bg-sky-100 dark:border-sky-400 dark:bg-sky-950',
  habit: 'border-emerald-600 bg-emerald-100 dark:border-emerald-400 dark:bg-emerald-950',
  meeting: 'border-violet-600 bg-violet-100 dark:border-violet-400 dark:bg-violet-950',
  focus: 'border-indigo-600 bg-indigo-100 dark:border-indigo-400 dark:bg-indigo-950',
  break: 'border-amber-600 bg-amber-100 dark:border-amber-400 dark:bg-amber-950',
  event: 'border-rose-600 bg-rose-100 dark:border-rose-400 dark:bg-rose-950',
};

const minutesOf = (block: GridBlock) => block.endMinute - block.startMinute;

/** The shortest drawn box: a quarter hour, tall enough for one line of text. */
const minBoxPx = snapMinutes * pxPerMinute;
/** A box this tall shows the title and the times on two lines. */
const twoLinesPx = 38;

/** HH:MM–HH:MM for a start and a length; an end on the next day says so. */
function timeRange(start: number, minutes: number): string {
  const end = start + minutes;
  return `${formatMinute(start)}–${end > dayMinutes ? `${formatMinute(end - dayMinutes)} next day` : formatMinute(end)}`;
}

/** The offset (ms) of `zone` from UTC at instant `ms`. */
function zoneOffset(ms: number, zone: string): number {
  const wall = wallClock(ms, zone);
  const [year, month, day] = wall.date.split('-').map(Number);
  return Date.UTC(year, month - 1, day, 0, wall.minute, wall.second) - (ms - (ms % 1000));
}

/** The ISO instant of wall-clock `minute` after midnight of `date` in `zone` (for spans that cross midnight). */
function instantAt(date: string, minute: number, zone: string): string {
  const [year, month, day] = date.split('-').map(Number);
  const wall = Date.UTC(year, month - 1, day, 0, minute);
  const guess = wall - zoneOffset(wall, zone);
  return new Date(wall - zoneOffset(guess, zone)).toISOString();
}

interface WeekGridProps {
  days: GridDay[];
  blocks: GridBlock[];
  range: { start: number; end: number };
  timeZone: string;
}

/**
 * The 7-day grid. Blocks are moved by dragging (pointer events: mouse, pen and touch) or with the
 * keyboard; the move shows at once and snaps back when the server refuses it.
 */
export function WeekGrid({ days, blocks, range, timeZone }: WeekGridProps) {
  const toast = useToast();
  const [shown, applyMove] = useOptimistic(blocks, (current, moved: { id: string } & Target) =>
    current.map((b) => (b.id === moved.id ? { ...b, day: moved.day, startMinute: moved.start, endMinute: moved.start + minutesOf(b) } : b)),
  );
  const [, startTransition] = useTransition();
  const [moving, setMoving] = useState<Moving | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const drag = useRef<Drag | null>(null);
  const body = useRef<HTMLDivElement>(null);
  // A keyboard-moved block is re-rendered in its new place; focus follows it there.
  const refocusId = useRef<string | null>(null);

  useEffect(() => {
    const id = refocusId.current;
    if (!id || (document.activeElement && document.activeElement !== document.body)) return;
    body.current?.querySelector<HTMLElement>(`[data-block-id="${id}"]`)?.focus();
  });

  const height = (range.end - range.start) * pxPerMinute;
  const segments = layoutSegments(shown).sort((a, b) => a.day - b.day || a.start - b.start || a.lane - b.lane);
  const movingBlock = moving ? shown.find((b) => b.id === moving.id) : undefined;
  const at = (target: Target) => `${days[target.day].short} ${formatMinute(target.start)}`;
  const spoken = (block: GridBlock, target: Target) => `${days[target.day].weekday} ${timeRange(target.start, minutesOf(block))}`;
  const home = (block: GridBlock): Target => ({ day: block.day, start: block.startMinute });

  function commit(block: GridBlock, target: Target) {
    if (target.day === block.day && target.start === block.startMinute) {
      setAnnouncement(`${block.title} stays at ${spoken(block, target)}.`);
      return;
    }
    const date = days[target.day].date;
    const end = target.start + minutesOf(block);
    // HH:MM on the date while the block stays within the day; exact instants once it crosses midnight.
    const input =
      end <= dayMinutes
        ? { date, start: formatMinute(target.start), end: formatMinute(end) }
        : { start: instantAt(date, target.start, timeZone), end: instantAt(date, end, timeZone) };
    startTransition(async () => {
      applyMove({ id: block.id, ...target });
      const result = await moveBlockAction(block.id, input).catch(() => null);
      if (result?.ok) {
        toast('success', `Moved ${block.title} to ${at(target)}`);
        setAnnouncement(`Moved ${block.title} to ${spoken(block, target)}.`);
      } else {
        const reason = result ? result.error.message : 'the server could not be reached. Nothing was changed; please try again';
        toast('error', `Couldn't move ${block.title}: ${reason}`);
        setAnnouncement(`${block.title} is back at ${spoken(block, home(block))}.`);
      }
    });
  }

  function pointerTarget(event: PointerEvent, block: GridBlock, press: Drag): Target | null {
    const rect = body.current?.getBoundingClientRect();
    if (!rect || event.clientX < rect.left || event.clientX >= rect.right || event.clientY < rect.top || event.clientY >= rect.bottom) return null;
    const day = Math.floor(((event.clientX - rect.left) / rect.width) * 7);
    const start = Math.round((block.startMinute + (event.clientY - press.y0) / pxPerMinute) / snapMinutes) * snapMinutes;
    return fitsGrid(start, minutesOf(block), range) ? { day, start } : null;
  }

  function onPointerDown(event: PointerEvent<HTMLButtonElement>, block: GridBlock) {
    if (event.button !== 0 || moving) return;
    refocusId.current = null;
    drag.current = { id: block.id, pointerId: event.pointerId, x0: event.clientX, y0: event.clientY, started: false };
    event.currentTarget.setPointerCapture(event.pointerId);
  }

  function onPointerMove(event: PointerEvent<HTMLButtonElement>, block: GridBlock) {
    const press = drag.current;
    if (!press || press.pointerId !== event.pointerId || press.id !== block.id) return;
    if (!press.started && Math.hypot(event.clientX - press.x0, event.clientY - press.y0) < 4) return;
    press.started = true;
    setMoving({ id: block.id, via: 'pointer', target: pointerTarget(event, block, press) });
  }

  function onPointerUp(event: PointerEvent<HTMLButtonElement>, block: GridBlock) {
    const press = drag.current;
    if (!press || press.pointerId !== event.pointerId || press.id !== block.id) return;
    drag.current = null;
    if (!press.started) return;
    setMoving(null);
    const target = pointerTarget(event, block, press);
    if (target) commit(block, target);
    else toast('info', `${block.title} stays at ${at(home(block))}: drop it inside the grid to move it.`);
  }

  function cancelPointer() {
    drag.current = null;
    setMoving(null);
  }

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, block: GridBlock) {
    const target = moving?.id === block.id ? moving.target : null;
    if (event.key === 'Escape' && moving?.id === block.id) {
      event.preventDefault();
      drag.current = null;
      setMoving(null);
      setAnnouncement(`Move cancelled. ${block.title} stays at ${spoken(block, home(block))}.`);
      return;
    }
    if (!target || moving?.via !== 'keyboard') {
      if ((event.key === 'Enter' || event.key === ' ') && !moving) {
        event.preventDefault();
        setMoving({ id: block.id, via: 'keyboard', target: home(block) });
        setAnnouncement(
          `Moving ${block.title}, ${spoken(block, home(block))}. Arrow up and down move it by 15 minutes, left and right by a day. Enter or Space drops it, Escape cancels.`,
        );
      }
      return;
    }
    const step: Record<string, Target> = {
      ArrowUp: { day: target.day, start: target.start - snapMinutes },
      ArrowDown: { day: target.day, start: target.start + snapMinutes },
      ArrowLeft: { day: target.day - 1, start: target.start },
      ArrowRight: { day: target.day + 1, start: target.start },
    };
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      setMoving(null);
      refocusId.current = block.id;
      commit(block, target);
      return;
    }
    const next = step[event.key];
    if (!next) return;
    event.preventDefault();
    if (next.day < 0 || next.day > 6 || !fitsGrid(next.start, minutesOf(block), range)) {
      setAnnouncement(`Can't go further that way: ${spoken(block, target)}.`);
      return;
    }
    setMoving({ id: block.id, via: 'keyboard', target: next });
    setAnnouncement(spoken(block, next));
  }

  function onBlur(block: GridBlock) {
    if (moving?.id === block.id && moving.via === 'keyboard') {
      setMoving(null);
      setAnnouncement(`Move cancelled. ${block.title} stays at ${spoken(block, home(block))}.`);
    }
  }

  const box = (day: number, start: number, end: number, lane = 0, lanes = 1) => ({
    top: (Math.max(start, range.start) - range.start) * pxPerMinute,
    height: Math.max((Math.min(end, range.end) - Math.max(start, range.start)) * pxPerMinute, minBoxPx),
    left: `calc(${((day + lane / lanes) * 100) / 7}% + 2px)`,
    width: `calc(${100 / 7 / lanes}% - 4px)`,
  });

  function renderSegment(segment: Segment) {
    const { block } = segment;
    const status = [block.type, block.imported ? 'imported' : null, block.status === 'planned' ? null : block.status].filter(Boolean).join(' · ');
    const times = segment.isStart ? timeRange(block.startMinute, minutesOf(block)) : `continued, until ${formatMinute(segment.end)}`;
    const lifted = moving?.id === block.id;
    const style = box(segment.day, segment.start, segment.end, segment.lane, segment.lanes);
    // Too short for two lines (a quarter hour is 15 px): one tighter line with the title; the times
    // show in the tooltip, and in full when the block has keyboard focus (it grows over its neighbours).
    const compact = style.height < twoLinesPx;
    const className = `group absolute select-none overflow-hidden rounded-md border border-l-4 px-1.5 text-left text-xs text-slate-900 dark:text-slate-50 ${
      compact ? 'py-0 leading-[13px] focus-visible:z-30 focus-visible:h-auto! focus-visible:py-0.5 focus-visible:leading-4' : 'py-0.5 leading-4'
    } ${typeColour[block.type]} ${block.imported ? 'border-dashed' : ''} ${lifted ? 'ring-2 ring-indigo-600 ring-offset-1 dark:ring-indigo-300' : ''}`;
    const content = (
      <>
        <span className={`block truncate font-medium ${compact ? 'group-focus-visible:whitespace-normal' : ''}`}>
          {block.status === 'completed' ? '✓ ' : ''}
          {block.title}
        </span>
        <span className={`truncate text-slate-700 dark:text-slate-300 ${compact ? 'hidden group-focus-visible:block' : 'block'}`}>
          {times} · {status}
        </span>
      </>
    );
    const tooltip = `${block.title}, ${times}`;
    if (!segment.isStart || !isMovable(block)) {
      return (
        <div key={`${block.id}:${segment.day}`} className={className} style={style} title={tooltip} data-testid="week-block" data-block-id={segment.isStart ? block.id : undefined}>
          <span className="sr-only">{days[segment.day].weekday}: </span>
          {content}
        </div>
      );
    }
    return (
      <button
        key={block.id}
        type="button"
        data-testid="week-block"
        data-block-id={block.id}
        aria-label={`${block.title}, ${spoken(block, home(block))}, ${status}. Press Enter to move.`}
        aria-describedby="week-hint"
        title={tooltip}
        className={`${className} cursor-grab touch-none hover:brightness-95 active:cursor-grabbing`}
        style={style}
        onPointerDown={(event) => onPointerDown(event, block)}
        onPointerMove={(event) => onPointerMove(event, block)}
        onPointerUp={(event) => onPointerUp(event, block)}
        onPointerCancel={cancelPointer}
        onLostPointerCapture={() => {
          if (drag.current?.id === block.id) cancelPointer();
        }}
        onKeyDown={(event) => onKeyDown(event, block)}
        onBlur={() => onBlur(block)}
      >
        {content}
      </button>
    );
  }

  const hours = Array.from({ length: (range.end - range.start) / 60 }, (_, i) => range.start + i * 60);

  return (
    <div>
      <p aria-live="polite" className="sr-only" data-testid="move-announcer">
        {announcement}
      </p>
      <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900" data-testid="week-scroll">
        <div className="min-w-[48rem]">
          <div className="grid grid-cols-[3.5rem_repeat(7,minmax(0,1fr))] border-b border-slate-200 dark:border-slate-800">
            <div className="sticky left-0 z-20 bg-white dark:bg-slate-900" />
            {days.map((day) => (
              <div
                key={day.date}
                aria-current={day.isToday ? 'date' : undefined}
                className={`flex h-12 flex-col items-center justify-center text-sm ${
                  day.isToday ? 'bg-indigo-50 font-semibold text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100' : 'text-slate-900 dark:text-slate-100'
                }`}
              >
                <span>
                  {day.short} {day.dayOfMonth}
                </span>
                <span className="text-xs font-normal text-slate-600 dark:text-slate-400">{day.isToday ? 'Today' : day.working ? '' : 'Day off'}</span>
              </div>
            ))}
          </div>
          <div className="grid grid-cols-[3.5rem_1fr]">
            {/* The hours stay in view while a phone scrolls the days sideways. */}
            <div className="sticky left-0 z-20 bg-white dark:bg-slate-900" style={{ height }} aria-hidden="true">
              {hours.map((hour) => (
                <span key={hour} className="absolute right-2 text-xs text-slate-600 dark:text-slate-400" style={{ top: (hour - range.start) * pxPerMinute + 2 }}>
                  {formatMinute(hour)}
                </span>
              ))}
            </div>
            <div
              ref={body}
              className="relative"
              style={{ height }}
              data-testid="week-grid-body"
              data-grid-start={range.start}
              data-grid-end={range.end}
              data-px-per-minute={pxPerMinute}
            >
              {days.map((day, index) => (
                <div
                  key={day.date}
                  aria-hidden="true"
                  className={`absolute inset-y-0 border-l border-slate-200 dark:border-slate-800 ${day.isToday ? 'bg-indigo-50/60 dark:bg-indigo-950/40' : ''}`}
                  style={{ left: `${(index * 100) / 7}%`, width: `${100 / 7}%` }}
                >
                  {/* Non-working time is shaded: the whole day off, else before and after the hours. */}
                  {(day.working ? [[range.start, day.working.start] as const, [day.working.end, range.end] as const] : [[range.start, range.end] as const])
                    .filter(([from, to]) => to > from)
                    .map(([from, to]) => (
                      <div
                        key={from}
                        className="absolute inset-x-0 bg-slate-100 dark:bg-slate-800/60"
                        style={{ top: (Math.max(from, range.start) - range.start) * pxPerMinute, height: (Math.min(to, range.end) - Math.max(from, range.start)) * pxPerMinute }}
                      />
                    ))}
                </div>
              ))}
              {hours.slice(1).map((hour) => (
                <div key={hour} aria-hidden="true" className="absolute inset-x-0 border-t border-slate-200 dark:border-slate-800" style={{ top: (hour - range.start) * pxPerMinute }} />
              ))}
              {segments.map(renderSegment)}
              {moving?.target && movingBlock ? (
                <div
                  aria-hidden="true"
                  data-testid="move-preview"
                  className="pointer-events-none absolute z-10 rounded-md border-2 border-dashed border-indigo-700 bg-indigo-50/90 px-1.5 py-0.5 text-xs font-semibold text-indigo-950 dark:border-indigo-300 dark:bg-indigo-950/90 dark:text-indigo-50"
                  style={box(moving.target.day, moving.target.start, moving.target.start + minutesOf(movingBlock))}
                >
                  {days[moving.target.day].short} {timeRange(moving.target.start, minutesOf(movingBlock))}
                </div>
              ) : null}
              {shown.length === 0 ? (
                <div className="absolute inset-x-4 top-16 mx-auto max-w-md rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center dark:border-slate-700 dark:bg-slate-900" data-testid="week-empty">
                  <p className="font-medium">No blocks this week — plan your day on Today</p>
                  <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                    <Link href="/today" className="font-medium text-indigo-700 underline dark:text-indigo-300">
                      Go to Today
                    </Link>{' '}
                    to plan blocks; they show up here to drag around.
                  </p>
                </div>
              ) : null}
            </div>
          </div>
        </div>
      </div>
    </div>
  );
}
