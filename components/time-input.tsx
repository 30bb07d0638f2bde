import type { ChangeEvent, FocusEvent, KeyboardEvent } from 'react';
import { stepTime, tidyTime } from '@/lib/format';

/**
 * The props of a 24-hour time field (HH:MM), for an <input> or a <Field>. A native
 * <input type="time"> shows 12 or 24 hours as the browser's locale decides, and Orbita writes times
 * as 24-hour HH:MM everywhere (lib/format.ts), so this is a text box: type `9`, `930` or `09:30`
 * (tidied to 09:30 on leaving it), or press ↑/↓ to step a quarter hour. `endOfDay` lets ↑ reach 24:00.
 */
export function timeInputProps(value: string, onValue: (value: string) => void, { endOfDay = false }: { endOfDay?: boolean } = {}) {
  return {
    type: 'text',
    inputMode: 'numeric' as const,
    autoComplete: 'off',
    spellCheck: false,
    placeholder: 'HH:MM',
    maxLength: 5,
    size: 5,
    value,
    onChange: (event: ChangeEvent<HTMLInputElement>) => onValue(event.target.value),
    onBlur: (event: FocusEvent<HTMLInputElement>) => {
      const tidy = tidyTime(event.target.value);
      if (tidy !== null && tidy !== event.target.value) onValue(tidy);
    },
    onKeyDown: (event: KeyboardEvent<HTMLInputElement>) => {
      if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
      event.preventDefault();
      onValue(stepTime(event.currentTarget.value, event.key === 'ArrowUp' ? 1 : -1, { last: endOfDay ? 24 * 60 : 23 * 60 + 45 }));
    },
  };
}
