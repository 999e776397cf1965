// Prints, after the run, a plain totals line and how many store contract tests ran against each database, so CI logs
// show plainly that PostgreSQL was tested for real and not skipped.
class DialectReporter {
  onRunComplete(_contexts, results) {
    const counts = new Map();
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        const match = /\[(sqlite|postgres|memory)\]/.exec(test.ancestorTitles.join(" "));
        if (!match) continue;
        const entry = counts.get(match[1]) ?? { passed: 0, failed: 0, skipped: 0 };
        if (test.status === "passed") entry.passed++;
        else if (test.status === "failed") entry.failed++;
        else entry.skipped++;
        counts.set(match[1], entry);
      }
    }
    for (const [dialect, c] of counts) {
      process.stdout.write(`store contract [${dialect}]: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`);
    }
    // A plain closing line that any CI reader understands.
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`Total: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = DialectReporter;
