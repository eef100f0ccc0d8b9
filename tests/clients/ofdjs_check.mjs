// ofd.js in Debian's headless Chromium: parses the OFD given and renders its first page without
// a script error, with every TextCode of that page's Content.xml in the rendered text and as
// many pages as the package has; a screenshot of page 1 goes beside the file (<name>.ofdjs.png). This is
// ofd.js 0.2.6, the open-source reader (jszip, x2js, its own font and path rendering): 1.5.0 is
// a viewer around a licensed core (parser_helper_x.js) that refuses to parse without a licence
// key ("授权信息错误").
//
// usage: node tests/clients/ofdjs_check.mjs FILE.ofd
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { inflateRawSync } from "node:zlib";

/** The entries of a zip file (local headers; the OFD writer sets sizes in them). */
function unzip(buf) {
  const out = {};
  for (let at = 0; buf.readUInt32LE(at) === 0x04034b50;) {
    const method = buf.readUInt16LE(at + 8), size = buf.readUInt32LE(at + 18);
    const nameLen = buf.readUInt16LE(at + 26), extra = buf.readUInt16LE(at + 28);
    const name = buf.toString("utf8", at + 30, at + 30 + nameLen);
    const data = buf.subarray(at + 30 + nameLen + extra, at + 30 + nameLen + extra + size);
    out[name] = method === 8 ? inflateRawSync(data) : data;
    at += 30 + nameLen + extra + size;
  }
  return out;
}

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  console.error(`ofdjs_check: ${CHROMIUM} missing (Debian package chromium)`);
  process.exit(1);
}
const file = resolve(process.argv[2] || "");
const raw = readFileSync(file);
const b64 = raw.toString("base64");
const entries = unzip(raw);
const contents = Object.keys(entries).filter(n => n.endsWith("/Content.xml")).length;
const unescape = s => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
const page1 = String(entries["Doc_0/Pages/Page_0/Content.xml"] || "");
const expected = [...page1.matchAll(/<ofd:TextCode[^>]*>([^<]*)<\/ofd:TextCode>/g)].map(m => unescape(m[1]));
if (!contents || !expected.length) {
  console.error(`ofdjs_check: ${file} has no pages or no text on page 1 (${Object.keys(entries).length} entries)`);
  process.exit(1);
}
const scripts = [require.resolve("ofd.js")];
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 900, height: 1300 } });
const errors = [];
page.on("pageerror", e => errors.push(String(e)));
page.on("console", m => { if (m.type() === "error") errors.push(m.text()); });
await page.setContent("<!DOCTYPE html><html><body style='margin:0;background:#ccc'><div id='ofd'></div></body></html>");
for (const s of scripts) await page.addScriptTag({ path: s });
const result = await page.evaluate(b64 => new Promise(done => {
  if (!window.ofd) return done({ error: "ofd.js did not load" });
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  window.ofd.parseOfdDocument({
    ofd: new File([bytes], "document.ofd"),
    success(docs) {
      try {
        const divs = window.ofd.renderOfd(880, docs[0]);
        const box = document.getElementById("ofd");
        if (divs.length) box.appendChild(divs[0]);
        done({ pages: divs.length, nodes: box.querySelectorAll("*").length, text: box.textContent.replace(/\s/g, "") });
      } catch (e) { done({ error: String(e) }); }
    },
    fail(e) { done({ error: "parse failed: " + String(e) }); },
  });
}), b64);
await page.screenshot({ path: file.replace(/\.ofd$/, ".ofdjs.png") });
await browser.close();
const lost = result.text ? expected.filter(t => !result.text.includes(t.replace(/\s/g, ""))) : expected;
const ok = !result.error && result.pages === contents && lost.length === 0 && errors.length === 0;
console.log(`ofdjs_check: ${result.pages} of ${contents} pages, ${result.nodes} nodes on page 1, ${expected.length - lost.length} of ${expected.length} TextCodes shown` +
  `${result.error ? ", " + result.error : ""}${lost.length ? ", lost: " + lost.slice(0, 5).join(" | ") : ""}${errors.length ? ", errors: " + errors.join("; ") : ""}`);
console.log(`ofdjs_check: ${ok ? 1 : 0} passed, ${ok ? 0 : 1} failed`);
process.exit(ok ? 0 : 1);
