import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engine1, ROOT } from "./helpers/cli.js";
import { STORE, trainFixture } from "./helpers/report-fixtures.js";
import { tempDir } from "./helpers/store.js";

/** Debian's Chromium; .ci/run installs it. ENGINE1_CHROMIUM points elsewhere. */
const CHROMIUM = process.env.ENGINE1_CHROMIUM ?? "/usr/bin/chromium";
const SCREENSHOT = path.join(ROOT, "docs/report-screenshot.png");
const CHART_TITLES = [
  "Filter funnel",
  "Reliability diagram",
  "Log loss per fold",
  "Ensemble against the baselines",
  "Backtest: cumulative profit",
  "Backtest: fractional-Kelly bankroll",
];
/** The blue of the bars, points and lines (#2271b1). */
const MARK_BLUE = [0x22, 0x71, 0xb1];

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe("the report page in headless Chromium", () => {
  let browser: Browser;
  let page = "";

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: the report's browser test needs it. Install it with ` +
          "`sudo apt-get install -y --no-install-recommends chromium` (Debian/Ubuntu; .ci/run does this), or set ENGINE1_CHROMIUM to a Chromium binary.",
      );
    }
    const dir = tempDir();
    const home = path.join(dir, "home");
    trainFixture(home);
    const backtest = path.join(dir, "backtest.json");
    const bt = engine1(["backtest", "--store", STORE, "--from", "2026-06-01", "--to", "2026-11-20", "--out", backtest, "--quiet"]);
    expect(bt.stderr).toBe("");
    expect(bt.status).toBe(0);
    page = path.join(dir, "report.html");
    const r = engine1(["report", "--home", home, "--backtest", backtest, "--out", page, "--quiet"], { ENGINE1_NOW: "2026-11-21T12:00:00.000Z" });
    expect(r).toEqual({ status: 0, stdout: "", stderr: "" });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("loads without errors or requests, shows every chart, and a screenshot of it shows them", async () => {
    const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    const requests: string[] = [];
    tab.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
    });
    tab.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    tab.on("request", (req) => requests.push(req.url()));
    const url = pathToFileURL(page).href;
    const response = await tab.goto(url, { waitUntil: "load" });
    expect(response?.ok()).toBe(true);
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    expect(await tab.title()).toMatch(/^engine1 report: run \S+$/);

    const charts = tab.locator("figure > svg");
    expect(await charts.count()).toBe(CHART_TITLES.length);
    for (let i = 0; i < CHART_TITLES.length; i++) {
      const box = await charts.nth(i).boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(200);
    }
    for (const text of [...CHART_TITLES, "mean predicted probability", "hit rate", "log loss", "ET date", "profit (units)", "bankroll"]) {
      await expect.poll(() => tab.locator("svg text", { hasText: new RegExp(`^${text.replace(/[()]/g, "\\$&")}$`) }).first().isVisible()).toBe(true);
    }
    for (const heading of ["Line accounting", "Grade overlay", "Filter funnel", "Per-model telemetry", "Reliability", "Folds and baselines", "Model card", "Backtest"]) {
      expect(await tab.getByRole("heading", { level: 2, name: heading, exact: true }).isVisible()).toBe(true);
    }

    const shot = path.join(tempDir(), "report.png");
    await tab.screenshot({ path: shot, fullPage: true });
    const { width, height } = pngSize(shot);
    expect(width).toBe(1200);
    expect(height).toBeGreaterThan(4000);
    expect(statSync(shot).size).toBeGreaterThan(100_000);

    // Count the chart blue in the screenshot, decoded by the browser itself: the charts were painted.
    const blank = await browser.newPage();
    const blue = await blank.evaluate(
      async ({ data, rgb }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, img.width, img.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i]! - rgb[0]!) + Math.abs(px[i + 1]! - rgb[1]!) + Math.abs(px[i + 2]! - rgb[2]!) < 30) n++;
        return n;
      },
      { data: readFileSync(shot).toString("base64"), rgb: MARK_BLUE },
    );
    expect(blue).toBeGreaterThan(20_000);
    await blank.close();

    if (process.env.ENGINE1_UPDATE_SCREENSHOT === "1") {
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      copyFileSync(shot, SCREENSHOT);
    }
    await tab.close();
  });
});
