// Adds up the vitest JSON reports of every package into one closing line
// ("N passed, N failed"), so a reader of the log sees the whole run's count.
// Fails when a package that has tests wrote no report or ran no test.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];
for (const group of ['apps', 'packages']) {
  for (const name of readdirSync(group)) {
    const dir = join(group, name);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (!pkg.scripts?.test) continue;
    const reportPath = join(dir, '.vitest-report.json');
    if (!existsSync(reportPath)) {
      problems.push(`${dir}: no test report (did its tests run?)`);
      continue;
    }
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    if (report.numTotalTests === 0) problems.push(`${dir}: ran no test`);
    console.log(
      `${dir}: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
        (report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''),
    );
  }
}
for (const problem of problems) console.log(`problem: ${problem}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || problems.length > 0 ? 1 : 0);
