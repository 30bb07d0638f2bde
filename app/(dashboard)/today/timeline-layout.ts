/** What the timeline needs of a block (minutes after the viewed day's local midnight, clipped to it). */
export interface TimelineBlock {
  id: string;
  type: 'task' | 'habit' | 'meeting' | 'focus' | 'break' | 'event';
  title: string;
  /** Local date the HH:MM of a move are on. */
  date: string;
  startMinute: number;
  endMinute: number;
  minutes: number;
  status: 'planned' | 'completed' | 'missed';
  imported: boolean;
}

/** Fixed scale, so a block's place never depends on its neighbours or on the content (no layout shift). */
export const pxPerMinute = 1.6;
/** The shortest drawn block (about 19 minutes), tall enough for one row of text and buttons. */
export const minBlockPx = 30;
/** The timeline's box: at most the viewport's height below the page heading; longer days scroll inside it. */
export const timelineBoxHeight = 'max-h-[max(18rem,calc(100dvh-16rem))]';
/** Working hours for a day without them. */
export const defaultDayRange = { start: 8 * 60, end: 18 * 60 };

/**
 * The rows shown: the working day, widened to every block, in whole hours — from the earlier of the
 * working start and the first block to the later of the working end and the last block. Now does
 * not widen it (a day seen at 00:30 is not nine empty hours from midnight): the now-line shows only
 * when now falls inside.
 */
export function dayRange(workingHours: { start: number; end: number } | null, blocks: TimelineBlock[]): { start: number; end: number } {
  let { start, end } = workingHours ?? defaultDayRange;
  for (const block of blocks) {
    start = Math.min(start, block.startMinute);
    end = Math.max(end, block.endMinute);
  }
  return { start: Math.floor(start / 60) * 60, end: Math.min(1440, Math.ceil(end / 60) * 60) };
}

export interface PlacedBlock {
  block: TimelineBlock;
  lane: number;
  lanes: number;
}

/**
 * Side-by-side lanes for blocks that share drawn space (imported events may overlap Orbita blocks,
 * and a short block is drawn taller than its minutes): each group of overlapping blocks splits the
 * width between as many lanes as it needs.
 */
export function placeInLanes(blocks: TimelineBlock[]): PlacedBlock[] {
  const drawnEnd = (b: TimelineBlock) => Math.max(b.endMinute, b.startMinute + minBlockPx / pxPerMinute);
  const sorted = [...blocks].sort((a, b) => a.startMinute - b.startMinute || a.endMinute - b.endMinute || a.id.localeCompare(b.id));
  const placed: PlacedBlock[] = [];
  let group: PlacedBlock[] = [];
  let laneEnds: number[] = [];
  let groupEnd = -Infinity;
  const closeGroup = () => {
    for (const p of group) p.lanes = laneEnds.length;
    placed.push(...group);
    group = [];
    laneEnds = [];
  };
  for (const block of sorted) {
    if (block.startMinute >= groupEnd) {
      closeGroup();
      groupEnd = -Infinity;
    }
    let lane = laneEnds.findIndex((end) => end <= block.startMinute);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = drawnEnd(block);
    groupEnd = Math.max(groupEnd, drawnEnd(block));
    group.push({ block, lane, lanes: 1 });
  }
  closeGroup();
  return placed;
}
