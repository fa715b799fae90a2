// Lighthouse (the npm package pinned in package.json) with Debian Chromium against a running site: performance,
// accessibility, best practices and SEO of the home, gallery and guestbook pages, desktop (1280 px wide) and mobile.
// Usage: node scripts/lighthouse.mjs [base URL]   (default http://127.0.0.1:8080, where `make run` serves)
// Prints one JSON line per page and preset, with the home page's transfer size (video excluded), and lists on
// stderr every audit that cost points.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = (process.argv[2] ?? "http://127.0.0.1:8080").replace(/\/$/, "");
const pages = { home: "/", gallery: "/gallery", guestbook: "/guestbook" };
const presets = {
    desktop: ["--preset=desktop", "--screenEmulation.width=1280", "--screenEmulation.height=800"],
    mobile: [],
};
const categories = ["performance", "accessibility", "best-practices", "seo"];
const out = mkdtempSync(join(tmpdir(), "lighthouse-"));
process.env.CHROME_PATH ??= process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Headless Chromium on a busy machine now and then loses the trace (NO_NAVSTART); a second attempt gets it.
function run(args, attempts = 3) {
    for (let attempt = 1; ; attempt++) {
        try {
            execFileSync("npx", args, { stdio: ["ignore", "ignore", "inherit"] });
            return;
        } catch (error) {
            if (attempt === attempts) throw error;
            console.error(`  Lighthouse failed (${error.message.split("\n")[0]}); trying again`);
        }
    }
}

try {
    for (const [preset, presetArgs] of Object.entries(presets)) {
        for (const [page, path] of Object.entries(pages)) {
            const report = join(out, `${page}-${preset}.json`);
            run(["--no-install", "lighthouse", base + path, "--quiet", "--output=json", `--output-path=${report}`,
                `--only-categories=${categories.join(",")}`, "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ...presetArgs]);
            const result = JSON.parse(readFileSync(report, "utf8"));
            const scores = Object.fromEntries(categories.map((c) => [c, Math.round(result.categories[c].score * 100)]));
            const requests = result.audits["network-requests"].details.items;
            const transferBytes = requests
                .filter((r) => r.resourceType !== "Media" && !(r.mimeType ?? "").startsWith("video/"))
                .reduce((sum, r) => sum + (r.transferSize ?? 0), 0);
            console.log(JSON.stringify({ kind: "lighthouse", page, preset, ...scores, transferBytes, requests: requests.length }));
            for (const category of categories) {
                for (const ref of result.categories[category].auditRefs) {
                    const audit = result.audits[ref.id];
                    if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
                        console.error(`  ${page} ${preset} ${category}: ${ref.id} ${audit.score} ${audit.displayValue ?? ""}`);
                    }
                }
            }
        }
    }
} finally {
    rmSync(out, { recursive: true, force: true });
}
