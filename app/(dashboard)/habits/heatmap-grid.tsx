import { formatDate } from '@/lib/format';
import type { Heatmap, HeatmapState } from '@/lib/habits/heatmap';

const stateClass: Record<HeatmapState, string> = {
  done: 'bg-emerald-600 dark:bg-emerald-500',
  missed: 'bg-rose-300 dark:bg-rose-800',
  due: 'bg-white ring-1 ring-inset ring-amber-600 dark:bg-slate-900 dark:ring-amber-400',
  'not-due': 'bg-slate-200 dark:bg-slate-700',
};

export const stateLabel: Record<HeatmapState, string> = {
  done: 'done',
  missed: 'not done',
  due: 'due today, not logged yet',
  'not-due': 'not due',
};

/**
 * The last 12 weeks of one habit: one column per Monday-based week, today last. Screen readers get
 * the summary (the grid is one image); every cell has its date and state as a tooltip.
 */
export function HeatmapGrid({ name, heatmap }: { name: string; heatmap: Heatmap }) {
  return (
    <div
      role="img"
      aria-label={`${name}: ${heatmap.doneDays} of ${heatmap.dueDays} due days done in the last 12 weeks`}
      data-testid="heatmap"
      className="grid w-max grid-flow-col grid-rows-7 gap-0.5"
    >
      {Array.from({ length: heatmap.leadingBlanks }, (_, i) => (
        <span key={`blank-${i}`} className="size-3" />
      ))}
      {heatmap.cells.map((cell) => (
        <span
          key={cell.date}
          title={`${formatDate(cell.date)}: ${stateLabel[cell.state]}`}
          data-date={cell.date}
          data-state={cell.state}
          className={`size-3 rounded-[2px] ${stateClass[cell.state]}`}
        />
      ))}
    </div>
  );
}

/** What the colours mean, in words. */
export function HeatmapLegend() {
  const shown: HeatmapState[] = ['done', 'missed', 'due', 'not-due'];
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600 dark:text-slate-400" aria-label="Heat map legend">
      {shown.map((state) => (
        <li key={state} className="flex items-center gap-1">
          <span aria-hidden="true" className={`inline-block size-3 rounded-[2px] ${stateClass[state]}`} />
          {stateLabel[state]}
        </li>
      ))}
    </ul>
  );
}
