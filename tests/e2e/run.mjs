// Runs every tests/e2e/*.test.mjs. Each module exports `tests`: [{ name, run({ browser, town }) }].
// One demo town and one browser for the whole run; each test gets its own browser context.
// Last line: "e2e: N passed, M failed".
import { readdirSync } from 'node:fs';
import { startTown, launchBrowser } from './lib.mjs';

const only = process.argv[2];
const files = readdirSync(import.meta.dirname).filter(f => f.endsWith('.test.mjs')).sort();
let passed = 0, failed = 0;
let town, browser;
try {
  town = await startTown();
  browser = await launchBrowser();
  for (const file of files) {
    const { tests } = await import(`./${file}`);
    for (const t of tests) {
      const name = `${file.replace('.test.mjs', '')} › ${t.name}`;
      if (only && !name.includes(only)) continue;
      const started = Date.now();
      try {
        await t.run({ browser, town });
        passed++;
        console.log(`  ok    ${name} (${Date.now() - started} ms)`);
      } catch (e) {
        failed++;
        console.log(`  FAIL  ${name}\n${String(e.stack ?? e).replace(/^/gm, '        ')}`);
      }
    }
  }
} catch (e) {
  failed++;
  console.log(`  FAIL  e2e set-up\n${String(e.stack ?? e).replace(/^/gm, '        ')}`);
  if (town) console.log(town.output.join(''));
} finally {
  await browser?.close();
  await town?.stop();
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
