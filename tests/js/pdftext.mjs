// pdftext.mjs - the text pdf.js gives back, as Firefox's viewer and most
// web viewers extract it: getTextContent() of every page, each item's str,
// a newline where pdf.js says a line ends (hasEOL), a form feed after each
// page, as pdftotext prints. With --struct, the structure tree of each
// page instead (getStructTree()), as JSON, one line per page.
// Usage: node pdftext.mjs [--struct] FILE.pdf
import { readFileSync } from "node:fs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const args = process.argv.slice(2);
const struct = args[0] === "--struct";
const tags = args[0] === "--tags";
const file = struct || tags ? args[1] : args[0];
const data = new Uint8Array(readFileSync(file));
const doc = await getDocument({ data, verbosity: 0, useSystemFonts: false })
  .promise;
let out = "";
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  if (struct) {
    out += JSON.stringify(await page.getStructTree()) + "\n";
    continue;
  }
  if (tags) {
    const content = await page.getTextContent({ includeMarkedContent: true });
    const marked = [];
    const open = [];
    let loose = "";
    for (const item of content.items) {
      if (item.type === "beginMarkedContentProps" ||
          item.type === "beginMarkedContent") {
        // a sequence with an MCID, or an artifact; one nested in it with
        // neither (an /ActualText span) adds its text to it
        if (item.id || item.tag === "Artifact" || !open.length) {
          const m = { id: item.id ?? null, tag: item.tag ?? null, text: "" };
          marked.push(m);
          open.push(m);
        } else {
          open.push(open[open.length - 1]);
        }
      } else if (item.type === "endMarkedContent") {
        open.pop();
      } else if (item.str !== undefined) {
        const s = item.str + (item.hasEOL ? "\n" : "");
        if (open.length) open[open.length - 1].text += s;
        else loose += s;
      }
    }
    out += JSON.stringify({ tree: await page.getStructTree(), marked, loose }) +
      "\n";
    continue;
  }
  const content = await page.getTextContent();
  for (const item of content.items) {
    if (item.str !== undefined) out += item.str;
    if (item.hasEOL) out += "\n";
  }
  out += "\n\f";
}
process.stdout.write(out);
