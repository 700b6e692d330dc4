#!/usr/bin/env node
// Validates every CloudFormation template the CDK synthesised (cdk.out/*.template.json) with the
// offline validator @aws/cloudformation-validate: schema validation of every resource plus its
// built-in rules. Prints each warning and error (INFO findings, such as untagged resources, are left out); exits 1 when any is an ERROR or FATAL, or when a template
// could not be analysed completely. Usage: node validate-templates.js [cdk.out]
'use strict';
const fs = require('fs');
const path = require('path');
const { RegoEngine, TemplateFile, version } = require('@aws/cloudformation-validate');

const dir = process.argv[2] || 'cdk.out';
const templates = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(dir, f));
if (templates.length === 0) {
  console.error(`validate: no *.template.json in ${dir}: run the synth first`);
  process.exit(1);
}
const engine = new RegoEngine();
let failed = false;
try {
  for (const file of templates) {
    const report = engine.validateStandard(new TemplateFile(file), { severityLevel: 'WARN' });
    const counts = {};
    for (const d of report.diagnostics) {
      counts[d.severity] = (counts[d.severity] || 0) + 1;
      const where = d.entity ? `${d.entity.logicalId}${d.propertyPath ? ' ' + d.propertyPath : ''}` : '';
      console.log(`  [${d.severity}] ${d.ruleId} ${where}: ${d.message}`);
      if (d.severity === 'ERROR' || d.severity === 'FATAL') {
        failed = true;
      }
    }
    if (report.status !== 'OK') {
      console.log(`  status ${report.status}: the analysis did not complete`);
      failed = true;
    }
    const summary = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ') || 'no findings';
    console.log(`validate: ${file}: ${report.status}, ${summary} (cloudformation-validate ${version()})`);
  }
} finally {
  engine.free();
}
process.exit(failed ? 1 : 0);
