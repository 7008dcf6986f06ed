// typst.mjs IN.json OUT.pdf - compiles report.typ (beside this file) on
// IN.json with Typst's compiler as npm ships it
// (@myriaddreamin/typst-ts-node-compiler), with the system's Noto fonts.
import { NodeCompiler } from "@myriaddreamin/typst-ts-node-compiler";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const [input, output] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const compiler = NodeCompiler.create({
  workspace: "/",
  fontArgs: [{ fontPaths: ["/usr/share/fonts/truetype/noto"] }],
});
const doc = compiler.compile({
  mainFilePath: resolve(here, "report.typ"),
  inputs: { data: resolve(input) },
});
if (!doc.result) {
  console.error(doc.printErrors ? doc.printErrors() : "typst: compile failed");
  process.exit(1);
}
writeFileSync(output, compiler.pdf(doc.result));
