// The test entry VS Code's extension host loads (extensionTestsPath): runs every *.test.js here
// with mocha and writes its counts where the runner asked ($MOCHA_REPORT).
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: 'spec' });
  const only = process.env.DROVER_TEST_FILTER;
  for (const f of fs.readdirSync(__dirname).sort())
    if (f.endsWith('.test.js') && (!only || f.includes(only))) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const {
        passes,
        failures: failed,
        pending,
      } = runner.stats ?? { passes: 0, failures: failures, pending: 0 };
      if (process.env.MOCHA_REPORT)
        fs.writeFileSync(
          process.env.MOCHA_REPORT,
          JSON.stringify({ passed: passes, failed, skipped: pending }),
        );
      if (failures > 0 || pending > 0) reject(new Error(`${failures} tests failed, ${pending} skipped.`));
      else resolve();
    });
  });
}
