// Runs the shared cases (tests/cases/mirrors.json) against the page's own
// scripts, loaded as the page loads them, and prints what they return as JSON.
// Usage: node tests/js/mirrors.cjs CASES.json STATIC_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const [casesFile, staticDir] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const context = { console };
context.window = context;
vm.createContext(context);
for (const name of ['mdm.js', 'export.js']) {
  vm.runInContext(fs.readFileSync(path.join(staticDir, name), 'utf8'), context, { filename: name });
}
const MDM = context.MDM;
const out = {
  display_line: cases.display_line.map((c) => MDM.displayLine(c.geometry, c.seam)),
  float_text: cases.float_text.map((c) => MDM.geo.floatText(c.value)),
  overlaps: cases.overlaps.map((c) => MDM.overlaps(c.first, c.last, c.years)),
  wire_version: MDM.WIRE_VERSION,
};
process.stdout.write(JSON.stringify(out));
