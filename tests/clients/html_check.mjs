// HTML checks in Debian's headless Chromium (playwright-core, no browser download): for each
// page given, axe-core reports no violation (all its rules: WCAG 2.0/2.1 A and AA and its best
// practices), with the 大字版 switch off and on; the page never scrolls sideways at 320 px
// (WCAG 1.4.10), 375 px (a phone), 640 px (1280 px at 200 % zoom) and 1280 px
// (document.documentElement.scrollWidth <= innerWidth), also with large text; every table sits
// in a box that scrolls by itself; the download links point at files beside the page; printing
// gives A4 pages. Screenshots at 375 and 1280 px and the printed PDF go to <dir>/shots/.
//
// usage: node tests/clients/html_check.mjs PAGE.html...
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(CHROMIUM)) {
  console.error(`html_check: ${CHROMIUM} missing (Debian package chromium)`);
  process.exit(1);
}
const pages = process.argv.slice(2);
if (pages.length === 0) {
  console.error("usage: node html_check.mjs PAGE.html...");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failures = 0, passed = 0;
function check(ok, what) {
  if (ok) { passed++; } else { failures++; console.error(`FAIL ${what}`); }
}

async function axe(page, what) {
  await page.addScriptTag({ path: axePath });
  const r = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
  for (const v of r.violations) {
    console.error(`  ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("\n    ")}`);
  }
  check(r.violations.length === 0, `${what}: ${r.violations.length} axe-core violations`);
}

for (const file of pages) {
  const path = resolve(file);
  const name = basename(path, ".html");
  const shots = join(dirname(path), "shots");
  mkdirSync(shots, { recursive: true });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  await page.goto(pathToFileURL(path).href);
  await axe(page, `${name} (standard text)`);
  for (const width of [320, 375, 640, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
      boxes: [...document.querySelectorAll("table")].every(t => getComputedStyle(t.parentElement).overflowX === "auto"),
    }));
    check(m.scroll <= m.inner, `${name} at ${width} px: page ${m.scroll} px wide in a ${m.inner} px window`);
    check(m.boxes, `${name}: a table outside a scrolling box`);
    if (width === 375 || width === 1280) {
      await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: false });
    }
  }
  // The 大字版 switch: shown by the script, pressed, larger text, still no sideways scroll.
  await page.setViewportSize({ width: 375, height: 900 });
  const before = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("article p")).fontSize));
  await page.click("#large-text");
  const after = await page.evaluate(() => ({
    size: parseFloat(getComputedStyle(document.querySelector("article p")).fontSize),
    pressed: document.querySelector("#large-text").getAttribute("aria-pressed"),
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  }));
  check(after.pressed === "true" && after.size >= before * 1.3, `${name}: 大字版 ${before} → ${after.size} px, pressed ${after.pressed}`);
  check(after.scroll <= after.inner, `${name} large text at 375 px: page ${after.scroll} px wide`);
  await page.screenshot({ path: join(shots, `${name}-375-large.png`), fullPage: false });
  if (await page.$(".table-scroll")) {
    await page.click("#large-text");
    await page.evaluate(() => document.querySelector(".attachment").scrollIntoView());
    await page.screenshot({ path: join(shots, `${name}-375-table.png`), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate(() => document.querySelector(".attachment").scrollIntoView());
    await page.screenshot({ path: join(shots, `${name}-1280-table.png`), fullPage: false });
    await page.click("#large-text");
  }
  await axe(page, `${name} (大字版)`);
  // Downloads link the files written beside the page.
  const hrefs = await page.evaluate(() => [...document.querySelectorAll(".downloads a")].map(a => a.getAttribute("href")));
  for (const h of hrefs) check(existsSync(join(dirname(path), h)), `${name}: download link ${h} points at nothing`);
  // Print: A4 pages (the print stylesheet's @page), the tools hidden.
  await page.emulateMedia({ media: "print" });
  const toolsHidden = await page.evaluate(() => getComputedStyle(document.querySelector(".site-tools")).display === "none");
  check(toolsHidden, `${name}: the tools are printed`);
  const pdf = await page.pdf({ preferCSSPageSize: true });
  writeFileSync(join(shots, `${name}.print.pdf`), pdf);
  const box = /\/MediaBox\s*\[\s*0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*\]/.exec(pdf.toString("latin1"));
  check(box && Math.abs(box[1] - 595.92) < 1.5 && Math.abs(box[2] - 842.88) < 1.5, `${name}: printed page is ${box ? box.slice(1).join("×") : "?"} pt, not A4`);
  check(errors.length === 0, `${name}: script errors ${errors.join("; ")}`);
  await ctx.close();
  console.log(`${name}: checked`);
}
await browser.close();
console.log(`html_check: ${passed} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
