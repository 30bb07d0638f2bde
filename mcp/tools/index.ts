import type { ToolDefinition } from '../registry';
import { billingTools } from './billing';
import { calendarTools } from './calendar';
import { habitTools } from './habits';
import { meetingTools } from './meetings';
import { miscTools } from './misc';
import { scheduleTools } from './schedule';
import { taskTools } from './tasks';

/** Every tool, in the order `tools/list` shows them. Each context's file exports its own list. */
export const allTools: ToolDefinition[] = [...taskTools, ...habitTools, ...meetingTools, ...scheduleTools, ...calendarTools, ...billingTools, ...miscTools];
