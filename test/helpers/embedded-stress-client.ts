/**
 * One process of the embedded-database stress mix: `node --import tsx embedded-stress-client.ts '<StressOptions as JSON>'`
 * prints its StressResult as JSON on stdout.
 */
import { runStress, type StressOptions } from './embedded-stress';

const options = JSON.parse(process.argv[2] ?? '{}') as StressOptions;
const result = await runStress(options);
// Exits at once: after a deadline, connections to a stalled server would keep the process alive.
process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
