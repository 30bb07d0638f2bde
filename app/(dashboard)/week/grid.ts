/*
 * Geometry of the week grid, shared by the server page (which lays out the first paint) and the
 * client grid (which re-lays blocks while they are dragged or moved optimistically). Minutes are
 * wall-clock minutes after the local midnight of a day column; a block's `day` is its column
 * (0 = Monday), negative for a block that started before the displayed week.
 */

/** Vertical scale: fixed, so a block's box depends only on its times (no layout shift). */
export const pxPerMinute = 1;
/** Every move snaps to a quarter hour. */
export const snapMinutes = 15;
/** The hours always shown, so the loading skeleton has the page's usual height. */
export const defaultRange = { start: 8 * 60, end: 18 * 60 } as const;
export const dayMinutes = 24 * 60;

export type BlockKind = 'task' | 'habit' | 'meeting' | 'focus' | 'break' | 'event';

/** One block as the client needs it: plain, serialisable data. */
export interface GridBlock {
  id: string;
  title: string;
  type: BlockKind;
  status: 'planned' | 'completed' | 'missed';
  imported: boolean;
  day: number;
  startMinute: number;
  /** May pass 1440 for a block that ends on a later day. */
  endMinute: number;
}

export interface GridDay {
  date: string;
  /** e.g. Tuesday */
  weekday: string;
  /** e.g. Tue */
  short: string;
  /** e.g. 24 */
  dayOfMonth: string;
  isToday: boolean;
  /** Working hours in minutes, or null on a day off. */
  working: { start: number; end: number } | null;
}

/** The part of a block that falls in one day column. */
export interface Segment {
  block: GridBlock;
  day: number;
  start: number;
  end: number;
  /** True on the block's own start day; the later days only show its continuation. */
  isStart: boolean;
  lane: number;
  lanes: number;
}

export const isMovable = (block: GridBlock) => !block.imported && block.status !== 'completed';

/** Splits blocks into per-day segments (clipped to each day) and gives overlapping ones side-by-side lanes. */
export function layoutSegments(blocks: GridBlock[]): Segment[] {
  const segments: Segment[] = [];
  for (const block of blocks) {
    for (let day = Math.max(0, block.day); day < 7; day++) {
      const offset = (day - block.day) * dayMinutes;
      const start = Math.max(0, block.startMinute - offset);
      const end = Math.min(dayMinutes, block.endMinute - offset);
      if (end <= start) break;
      segments.push({ block, day, start, end, isStart: day === block.day, lane: 0, lanes: 1 });
    }
  }
  for (let day = 0; day < 7; day++) {
    const ofDay = segments.filter((s) => s.day === day).sort((a, b) => a.start - b.start || b.end - a.end);
    // Greedy lanes within each cluster of overlapping segments; the cluster shares its lane count.
    let cluster: Segment[] = [];
    let laneEnds: number[] = [];
    let clusterEnd = -1;
    const close = () => {
      for (const s of cluster) s.lanes = laneEnds.length;
      cluster = [];
      laneEnds = [];
    };
    for (const segment of ofDay) {
      if (segment.start >= clusterEnd) close();
      let lane = laneEnds.findIndex((end) => end <= segment.start);
      if (lane === -1) lane = laneEnds.push(0) - 1;
      laneEnds[lane] = segment.end;
      segment.lane = lane;
      cluster.push(segment);
      clusterEnd = Math.max(clusterEnd, segment.end);
    }
    close();
  }
  return segments;
}

/** The hours shown: 08:00–18:00 widened to the week's working hours and every block, in whole hours. */
export function gridRange(days: GridDay[], blocks: GridBlock[]): { start: number; end: number } {
  let start: number = defaultRange.start;
  let end: number = defaultRange.end;
  for (const day of days) {
    if (!day.working) continue;
    start = Math.min(start, day.working.start);
    end = Math.max(end, day.working.end);
  }
  for (const segment of layoutSegments(blocks)) {
    start = Math.min(start, segment.start);
    end = Math.max(end, segment.end);
  }
  return { start: Math.floor(start / 60) * 60, end: Math.min(dayMinutes, Math.ceil(end / 60) * 60) };
}

/**
 * Whether a block of `minutes` may start at `start` in the grid: it starts inside the shown hours
 * and ends by their end — or, when the grid reaches midnight, it may run on into the next day.
 */
export function fitsGrid(start: number, minutes: number, range: { start: number; end: number }): boolean {
  if (start < range.start || start >= dayMinutes) return false;
  return start + minutes <= range.end || range.end === dayMinutes;
}
