import type { Metadata } from 'next';
import type { Page } from '@/lib/shared/pagination';
import { toAppError } from '@/lib/http/errors';
import { sessionContext } from '@/lib/identity/session';
import { listTasks, type TaskView } from '@/lib/tasks/service';
import { localDate } from '@/lib/time';
import { NewTaskForm } from './new-task-form';
import { TaskFilters } from './task-filters';
import { TaskList } from './task-list';

export const metadata: Metadata = { title: 'Tasks' };

/** The URL search parameters of the list: the names listTasks takes, so a URL reads like an API query. */
const queryKeys = ['status', 'priority', 'overdue', 'dueToday', 'sort', 'cursor'] as const;
const filterKeys = ['status', 'priority', 'overdue', 'dueToday'];

type SearchParams = Record<string, string | string[] | undefined>;

/** The non-empty known parameters (a GET form without JS also sends the empty ones). */
function listQuery(params: SearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of queryKeys) {
    const value = params[key];
    const text = Array.isArray(value) ? value[0] : value;
    if (text) query[key] = text;
  }
  return query;
}

export default async function TasksPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { ctx, user } = await sessionContext();
  const readCtx = { ...ctx, timeZone: user.timeZone };
  let query = listQuery(await searchParams);
  let page: Page<TaskView>;
  let queryError: string | null = null;
  try {
    page = await listTasks(readCtx, query);
  } catch (error) {
    // A hand-edited URL (sort=oldest, a stale cursor) is bad input: say so and show the plain list.
    const appError = toAppError(error);
    if (!appError) throw error;
    queryError = appError.message;
    query = {};
    page = await listTasks(readCtx);
  }
  const { cursor, ...filters } = query;
  const filtered = filterKeys.some((key) => key in filters);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold">Tasks</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">Add what you need to do; Plan my day on Today fits open tasks into your working hours.</p>
      </div>
      <NewTaskForm />
      <section aria-labelledby="task-list-heading" className="space-y-4">
        <h2 id="task-list-heading" className="text-lg font-semibold">
          Your tasks
        </h2>
        <TaskFilters values={filters} />
        {queryError ? (
          <p role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
            These filters could not be used ({queryError}), so every task is shown.
          </p>
        ) : null}
        <TaskList
          key={JSON.stringify(query)}
          tasks={page.items}
          nextCursor={page.nextCursor}
          filters={filters}
          pagedFrom={cursor ?? null}
          filtered={filtered}
          today={localDate(new Date(), user.timeZone)}
        />
      </section>
    </div>
  );
}
