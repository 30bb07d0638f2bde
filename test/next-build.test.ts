import { describe, expect, it } from 'vitest';
import { forbiddenWarningsIn } from '../scripts/next-build';

// `npm run build` (scripts/next-build.ts) fails on these warnings; CI runs it. The excerpt is what
// Next.js 16 printed for app/readyz/route.ts before the fix, colours included.
const warned = [
  'Turbopack build encountered 1 warning:',
  './app/readyz/route.ts:16:14',
  '\x1b[33m\x1b[1mWarning\x1b[22m\x1b[39m: Dynamic filesystem access causes tracing of the whole project',
  '\x1b[33m\x1b[1m>\x1b[0m \x1b[90m16 |\x1b[0m       \x1b[36mreturn\x1b[0m fs',
].join('\n');

describe('the production build check', () => {
  it('finds whole-project tracing in a build log, colours or not', () => {
    expect(forbiddenWarningsIn(warned)).toEqual(['Dynamic filesystem access causes tracing of the whole project']);
    expect(forbiddenWarningsIn('✓ Compiled successfully in 56s\n  Finalizing page optimization ...\n')).toEqual([]);
  });
});
