// Opens a local HTML file in Debian's headless Chromium (playwright-core, no browser download),
// waits for every workbook figure to draw, and saves a screenshot as a test artifact.
import { chromium, Browser } from "playwright-core";
import * as fs from "fs";
import * as path from "path";

export const CHROMIUM = process.env.WORKBOOK_CHROMIUM ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(__dirname, "..", "..", "test-artifacts");

/** What a rendered page showed. */
export interface PageCheck {
  figures: number;
  drawn: number;
  consoleErrors: string[];
  screenshot: string;
}

/** Launches headless Chromium with the flags this offline machine needs. */
export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install it with sudo apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** Loads `file`, waits until every .workbook-figure holds a drawn plotly graph, screenshots it to ARTIFACTS/<name>.png. */
export async function renderAndCheck(file: string, name: string): Promise<PageCheck> {
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const consoleErrors: string[] = [];
    page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
    page.on("pageerror", (e) => consoleErrors.push(String(e)));
    await page.goto("file://" + path.resolve(file));
    const figures = await page.locator(".workbook-figure").count();
    await page
      .waitForFunction(
        () => Array.from(document.querySelectorAll(".workbook-figure")).every((el) => el.querySelector(".main-svg")),
        undefined,
        { timeout: 30_000 },
      )
      .catch(() => undefined);
    const drawn = await page.locator(".workbook-figure .main-svg").evaluateAll((els) => new Set(els.map((e) => e.closest(".workbook-figure"))).size);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const screenshot = path.join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    return { figures, drawn, consoleErrors, screenshot };
  } finally {
    await browser.close();
  }
}
