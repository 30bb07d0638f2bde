import { pathToFileURL } from 'node:url';

/**
 * Runs a bench's `main` when its file is the entry point (`tsx bench/<name>.ts`), not when a test
 * imports it: exit 0 when the targets were met, 1 when one was missed or the bench failed.
 */
export function runIfEntryPoint(moduleUrl: string, main: () => Promise<boolean>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  main().then(
    (met) => process.exit(met ? 0 : 1),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
