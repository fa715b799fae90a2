// The cdk-nag AwsSolutions pack over the templates `make synth` wrote (cdk.out/dev and cdk.out/prod, or the
// cloud assemblies given as arguments). Exits 1 on any error or warning that the resource's template metadata
// `cdk_nag.rules_to_suppress` does not suppress with a reason, printing rule, stack, resource and message.
//
// The CDK app is C#; cdk-nag runs on the JavaScript CDK, so each template is loaded with CfnInclude. cdk-nag 3
// reads suppressions only from its own API, which an included template cannot carry: the metadata the C# app
// writes (in cdk-nag 2's format: id, reason, optional applies_to) is matched against the findings here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';

// cdk-nag 2 refuses shorter reasons too.
const MIN_REASON = 10;
const INCLUDE_ID = 'Template';

const assemblies = process.argv.length > 2 ? process.argv.slice(2) : ['cdk.out/dev', 'cdk.out/prod'];
const problems = [];
let checked = 0;
let suppressedCount = 0;

for (const assembly of assemblies) {
  const manifest = JSON.parse(readFileSync(join(assembly, 'manifest.json'), 'utf8'));
  const stacks = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  if (stacks.length === 0) {
    problems.push(`${assembly}: no stacks in the cloud assembly (run make synth first)`);
  }
  for (const [name, artifact] of stacks) {
    const templateFile = join(assembly, artifact.properties.templateFile);
    const template = JSON.parse(readFileSync(templateFile, 'utf8'));
    const stack = new Stack(new App(), name);
    new CfnInclude(stack, INCLUDE_ID, { templateFile });
    const report = new AwsSolutionsChecks().validateScope(stack);
    checked++;

    const used = new Set();
    for (const violation of report.violations) {
      for (const { constructPath } of violation.violatingResources) {
        const logicalId = constructPath.split('/').at(-1);
        const rule = suppressionsOf(template.Resources?.[logicalId]).find((r) => suppresses(r, violation.ruleName));
        if (rule) {
          used.add(`${logicalId} ${rule.id}`);
          suppressedCount++;
        } else {
          problems.push(`${violation.severity} ${violation.ruleName} ${name}/${logicalId}: ${violation.description}`);
        }
      }
    }
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      for (const rule of suppressionsOf(resource)) {
        if (typeof rule.reason !== 'string' || rule.reason.trim().length < MIN_REASON) {
          problems.push(`${name}/${logicalId}: the suppression of ${rule.id} needs a reason of at least ${MIN_REASON} characters`);
        }
        // One that nothing needs any more would hide the next real finding of that rule on that resource.
        if (!used.has(`${logicalId} ${rule.id}`)) {
          problems.push(`${name}/${logicalId}: the suppression of ${rule.id} suppresses nothing; remove it`);
        }
      }
    }
  }
}

for (const problem of problems) {
  console.log(problem);
}
console.log(`cdk-nag AwsSolutions: ${checked} templates, ${suppressedCount} findings suppressed with a reason, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);

function suppressionsOf(resource) {
  return resource?.Metadata?.cdk_nag?.rules_to_suppress ?? [];
}

// "AwsSolutions-IAM5[Action::s3:*]" is a finding of AwsSolutions-IAM5: a suppression of the rule covers all its
// findings unless it lists the ones it applies to, each as the finding itself or as { regex: "/pattern/flags" }.
function suppresses(rule, ruleName) {
  if (rule.id === ruleName) {
    return true;
  }
  const granular = /^([^[]+)\[(.*)\]$/.exec(ruleName);
  if (granular === null || granular[1] !== rule.id) {
    return false;
  }
  const finding = granular[2];
  return rule.applies_to === undefined || rule.applies_to.some((applies) => typeof applies === 'string'
    ? applies === finding
    : regex(applies.regex).test(finding));
}

function regex(literal) {
  const end = literal.lastIndexOf('/');
  return new RegExp(literal.slice(1, end), literal.slice(end + 1));
}
