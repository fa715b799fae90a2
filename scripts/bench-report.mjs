// Turns the measurements scripts/bench.sh collected (one JSON object per line) into docs/benchmarks.md and the
// requests-per-dollar rows of docs/deploy.md's cost table, prints the tables, and exits 1, saying why, if any
// request failed or the soak's memory grew.
// Usage: node scripts/bench-report.mjs results.jsonl docs/benchmarks.md docs/deploy.md
import { readFileSync, writeFileSync } from "node:fs";

const [resultsPath, docPath, deployPath] = process.argv.slice(2);
const rows = readFileSync(resultsPath, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
const of = (kind) => rows.filter((r) => r.kind === kind);
const machine = of("machine")[0];
const allLoad = of("load");
const tasks = allLoad.filter((r) => r.vcpu !== undefined);
const taskMethod = of("task")[0].method;
const soak = of("soak");
const soakLoad = of("soak-load")[0];
const gcHeap = of("gcheap");
const scale = of("scale");
const lighthouse = of("lighthouse");
const idle = of("idle")[0];
const startup = of("startup")[0].runs;

const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mb = (kb) => (kb / 1024).toFixed(0);
const ms = (value) => value.toFixed(value < 10 ? 2 : 1);
const table = (header, body) =>
    [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...body.map((r) => `| ${r.join(" | ")} |`)].join("\n");
const verdict = (met) => (met ? "met" : "**not met**");

// The alternating rounds of one endpoint and connection count as one step: every request of every round, the median
// latencies, the highest peaks.
const untasked = allLoad.filter((r) => r.vcpu === undefined);
const load = [];
for (const r of untasked) {
    const same = untasked.filter((o) => o.target === r.target && o.connections === r.connections);
    if (same[0] !== r) continue;
    const sum = (field) => same.reduce((total, o) => total + o[field], 0);
    const max = (field) => Math.max(...same.map((o) => o[field]));
    load.push({
        ...r, rounds: same.length, requests: sum("requests"), seconds: sum("seconds"), rps: sum("requests") / sum("seconds"),
        p50: median(same.map((o) => o.p50)), p90: median(same.map((o) => o.p90)), p99: median(same.map((o) => o.p99)),
        errors: sum("errors"), peakRssKb: max("peakRssKb"), peakAnonKb: max("peakAnonKb"),
    });
}
const appLoad = load.filter((r) => r.target !== "ceiling");
const step = (target, connections) => load.find((r) => r.target === target && r.connections === connections);
const connectionCounts = [...new Set(load.map((r) => r.connections))];
const ratios = connectionCounts.map((c) => ({ c, ratio: step("guestbook", c).rps / step("ceiling", c).rps }));
const roundRatios = connectionCounts.map((c) => untasked.filter((r) => r.target === "guestbook" && r.connections === c).map((g) =>
    g.rps / untasked.find((r) => r.target === "ceiling" && r.connections === c && r.round === g.round).rps));
const worstRatio = Math.min(...ratios.map((r) => r.ratio));
const heaviest = appLoad.reduce((a, b) => (b.peakRssKb > a.peakRssKb ? b : a));
const heaviestAnon = appLoad.reduce((a, b) => (b.peakAnonKb > a.peakAnonKb ? b : a));
const at128 = appLoad.filter((r) => r.connections === Math.max(...connectionCounts));
const peak128 = at128.reduce((a, b) => (b.peakRssKb > a.peakRssKb ? b : a));
const startupMedian = median(startup);
const errors = [...allLoad, ...scale, soakLoad].reduce((sum, r) => sum + r.errors, 0);

// Fargate's ARM64 list price (docs/deploy.md, "Cost per month") for the dev and prod task sizes.
const fargate = { vcpuHour: 0.03238, gbHour: 0.00356 };
const taskSizes = [{ env: "dev", vcpu: 0.25, gb: 0.5 }, { env: "prod", vcpu: 0.5, gb: 1 }];
const taskHour = (size) => size.vcpu * fargate.vcpuHour + size.gb * fargate.gbHour;
const taskStep = (target, vcpu) => tasks.find((r) => r.target === `task-${target}` && r.vcpu === vcpu);
const perDollar = (rps, size) => (rps * 3600) / taskHour(size);
const millions = (n) => `${(n / 1e6).toFixed(0)} million`;

// Memory over the soak: least-squares slopes after its first third (the warm-up: code jitted, pools and caches
// filled), in MB per minute; a leak is growth that the fit carries to more than the allowance over the soak.
const slope = (points) => {
    const n = points.length;
    const mx = points.reduce((s, p) => s + p.x, 0) / n;
    const my = points.reduce((s, p) => s + p.y, 0) / n;
    const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
    return sxx === 0 ? 0 : points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
};
const soakSeconds = machine.soakSeconds;
const settled = (samples) => samples.filter((p) => p.seconds >= soakSeconds / 3);
const mbPerMinute = (samples, field) => slope(settled(samples).map((p) => ({ x: p.seconds / 60, y: p[field] / 1024 })));
const allowanceMb = { heapKb: 4, anonKb: 16 };
const soakSlopes = [
    { what: "GC heap after the last collection", samples: gcHeap, field: "heapKb" },
    { what: "GC committed memory", samples: gcHeap, field: "committedKb" },
    { what: "RssAnon", samples: soak, field: "anonKb" },
    { what: "RSS", samples: soak, field: "rssKb" },
].map((s) => ({ ...s, perMinute: mbPerMinute(s.samples, s.field), peak: Math.max(...s.samples.map((p) => p[s.field])) }));
const leaks = soakSlopes.filter((s) => allowanceMb[s.field] !== undefined && s.perMinute * (soakSeconds * 2 / 3 / 60) > allowanceMb[s.field]);

const scalePages = [...new Set(scale.map((r) => r.page))];
const scaleRow = (entries, page) => scale.find((r) => r.entries === entries && r.page === page);
const scaleRatios = scalePages.map((page) => {
    const small = scaleRow(1000, page);
    const large = scaleRow(1000000, page);
    return { page, small, large, latency: large.p50 / small.p50, throughput: small.rps / large.rps };
});
const worstScale = Math.max(...scaleRatios.map((r) => Math.max(r.latency, r.throughput)));
const homeDesktop = lighthouse.find((r) => r.page === "home" && r.preset === "desktop");
const categories = ["performance", "accessibility", "best-practices", "seo"];
const lowestScore = Math.min(...lighthouse.flatMap((r) => categories.map((c) => r[c])));

const soakMinutes = (soakSeconds / 60).toFixed(soakSeconds % 60 ? 1 : 0);
const targets = table(["target", "measured", ""], [
    ["no failed requests (non-2xx/3xx or socket errors)", `${errors}`, verdict(errors === 0)],
    ["guestbook page >= 1.0x the ceiling's throughput (alternating rounds)", `${worstRatio.toFixed(2)} at worst (${ratios.map((r) => `${r.ratio.toFixed(2)} at ${r.c}`).join(", ")})`, verdict(worstRatio >= 1)],
    ["start-up < 1 s (median of " + startup.length + ")", `${startupMedian} ms`, verdict(startupMedian < 1000)],
    [`peak RSS at ${peak128.connections} connections <= 200 MB`, `${mb(peak128.peakRssKb)} MB (${peak128.target}); RssAnon ${mb(Math.max(...at128.map((r) => r.peakAnonKb)))} MB`, verdict(peak128.peakRssKb <= 200 * 1024)],
    [`no memory growth over a ${soakMinutes}-minute soak`, soakSlopes.filter((s) => allowanceMb[s.field] !== undefined).map((s) => `${s.what} ${s.perMinute.toFixed(2)} MB/min`).join("; "), verdict(leaks.length === 0)],
    ["1,000,000 entries within 1.5x of 1,000, every navigable page", `${worstScale.toFixed(2)}x at worst`, verdict(worstScale <= 1.5)],
    ["home page transfer, video excluded, < 300 KB", `${(homeDesktop.transferBytes / 1024).toFixed(1)} KB in ${homeDesktop.requests} requests`, verdict(homeDesktop.transferBytes < 300 * 1024)],
    ["Lighthouse >= 95 in every category", `${lowestScore} lowest`, verdict(lowestScore >= 95)],
]);

const loadTable = table(["endpoint", "connections", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "peak RSS MB", "peak RssAnon MB"],
    load.map((r) => [r.rounds > 1 ? `${r.target} (${r.rounds} rounds)` : r.target, r.connections, r.rps.toFixed(0), ms(r.p50), ms(r.p90), ms(r.p99), r.errors, mb(r.peakRssKb), mb(r.peakAnonKb)]));
const taskTable = tasks.length === 0 ? "Not measured: this machine gave the run no CPU cgroup of its own (it needs root)." :
    table(["vCPU", "endpoint", "req/s per task", "p50 ms", "p99 ms", "errors", "peak RSS MB", "peak RssAnon MB"],
        tasks.map((r) => [r.vcpu, r.target.replace("task-", ""), r.rps.toFixed(0), ms(r.p50), ms(r.p99), r.errors, mb(r.peakRssKb), mb(r.peakAnonKb)]));
// Its row of docs/deploy.md's cost table.
const perSize = (size) => {
    const page = taskStep("guestbook", size.vcpu);
    const api = taskStep("api", size.vcpu);
    return `guestbook **${millions(perDollar(page.rps, size))}** (${page.rps.toFixed(0)} req/s per task), API ${millions(perDollar(api.rps, size))} (${api.rps.toFixed(0)} req/s)`;
};
const costRows = tasks.length === 0 ? [] : [
    `| requests per dollar of Fargate (\`make bench\`, ${machine.commit}, ${machine.date}: one task saturated; at the 50% CPU scaling target, half) | per task-hour: ${taskSizes.map((size) => `${size.env} $${taskHour(size).toFixed(5)} (${size.vcpu} vCPU, ${size.gb} GB)`).join(", ")} | ${perSize(taskSizes[0])} | ${perSize(taskSizes[1])} |`,
];
const soakTable = table(["memory", "peak MB", "slope after the first third, MB/min", "allowance over the soak"],
    soakSlopes.map((s) => [s.what, mb(s.peak), s.perMinute.toFixed(3), allowanceMb[s.field] === undefined ? "reported" : `${allowanceMb[s.field]} MB`]));
const scaleTable = table(["page", "1,000: req/s", "p50 ms", "1,000,000: req/s", "p50 ms", "slower by (p50)", "slower by (req/s)"],
    scaleRatios.map((r) => [`${r.page} \`${r.large.path.replace(/=\d+/, "=…")}\``, r.small.rps.toFixed(0), ms(r.small.p50),
        r.large.rps.toFixed(0), ms(r.large.p50), `${r.latency.toFixed(2)}x`, `${r.throughput.toFixed(2)}x`]));
const lighthouseTable = table(["page", "preset", ...categories, "transfer KB"],
    lighthouse.map((r) => [r.page, r.preset, ...categories.map((c) => r[c]), (r.transferBytes / 1024).toFixed(1)]));

const doc = `# Benchmarks

Generated by \`make bench\` (scripts/bench.sh); do not edit by hand. It publishes the app exactly as the Dockerfile
does (Release, ReadyToRun, framework-dependent), starts it as the container starts it (scripts/app.sh) against a
private MariaDB, and drives it with [wrk](https://github.com/wg/wrk) over loopback, ${machine.wrkThreads} threads, ${machine.loadSeconds} s per step
after a warm-up (${machine.warmSeconds} s of load on each page measured and on the ceiling first, then 2 s per endpoint): every figure is a
task's steady speed, not a fresh process's (see "Reading the figures"). The guestbook and the ceiling alternate, round by
round. The rate limits are raised for the run (all load comes from one client address).

**Noise.** wrk, the app and MariaDB share the machine's ${machine.cpus} CPUs, and other builds and tests may have been
running at the same time: treat the figures as an order of magnitude and the ratios measured in the same run
(ceiling, data scale) as the meaningful part. A Fargate task with 0.25-0.5 vCPU serves a fraction of these rates.

## Machine

${table(["", ""], [
    ["CPUs (nproc)", machine.cpus], ["CPU", machine.cpu], ["memory", `${machine.memoryMb} MB`], ["OS", `${machine.os}, kernel ${machine.kernel}`],
    [".NET (ASP.NET Core runtime)", machine.dotnet], ["database", `MariaDB ${machine.mariadb}`], ["wrk", machine.wrk],
    ["commit", machine.commit], ["date", machine.date],
])}

## Targets

${targets}

## Load

Home, guestbook (the 20 newest entries rendered, with its form and antiforgery token), gallery, \`GET /api/guestbook\`
and \`POST /api/guestbook\` (bench/wrk/post.lua, a new message per request). *ceiling* is bench/Ceiling: the
guestbook's 20 newest rows with one raw MySqlConnector query and a hand-built HTML string on bare Kestrel, the most
this machine could serve for that page. Peak RSS is the app's VmHWM, reset before each step.

${loadTable}

Guestbook page throughput as a share of the ceiling: ${ratios.map((r) => `${r.ratio.toFixed(2)} at ${r.c} connections`).join(", ")}.
The guestbook and ceiling steps ran in ${Math.max(...load.map((r) => r.rounds))} alternating rounds (the order swapped each round); the ratio is every
request of the guestbook's rounds over every request of the ceiling's. Round by round: ${roundRatios.map((list, i) => `${list.map((x) => x.toFixed(2)).join(", ")} at ${connectionCounts[i]}`).join("; ")}.

## Per task: 0.25 and 0.5 vCPU

A second copy of the app, started inside a CPU cgroup of the run's own and confined by ${taskMethod ?? "nothing (not measured)"}:
what a Fargate task's CPU size is (a CFS quota); the runtime reads the quota and sees one processor, as in a task. ${tasks[0]?.connections ?? machine.taskConnections} connections, ${machine.loadSeconds * 2} s per step, after ${machine.warmSeconds * 2} s of load per endpoint on the whole core (a task that has served a while) and 3 s at the quota. MariaDB and wrk run outside the quota (the database is RDS
in AWS).

${taskTable}

Requests per dollar of Fargate (ARM64 list price in docs/deploy.md): ${taskSizes.map((size) => `${size.env} (${size.vcpu} vCPU, ${size.gb} GB, $${taskHour(size).toFixed(5)} per task-hour): ${tasks.length === 0 ? "not measured" : `guestbook ${millions(perDollar(taskStep("guestbook", size.vcpu).rps, size))}, API ${millions(perDollar(taskStep("api", size.vcpu).rps, size))}`}`).join("; ")}.
These are saturated tasks; auto scaling keeps them near 50% CPU, where each serves about half.

## Soak

${soakMinutes} minutes of steady load (bench/wrk/soak.lua: guestbook views and one post in 20 through the API, 32 connections):
${soakLoad.rps.toFixed(0)} req/s, ${soakLoad.errors} errors. RSS and RssAnon from /proc every 10 s, the GC heap from
\`dotnet-counters\` (System.Runtime) every 10 s; ${soak.length} and ${gcHeap.length} samples.

${soakTable}

## Start-up

Process start to the first 200 from \`/health/ready\` (database up and migrated; polled every 50 ms), ${startup.length} runs:
${startup.join(", ")} ms. Median **${startupMedian} ms**.

## Memory

Peak RSS during the heaviest step (${heaviest.target}, ${heaviest.connections} connections): **${mb(heaviest.peakRssKb)} MB**; peak RssAnon
(anonymous memory: the heap and the runtime's own, what the task is really charged for; RSS adds file-backed framework
pages, shared and reclaimable) ${mb(heaviestAnon.peakAnonKb)} MB (${heaviestAnon.target}, ${heaviestAnon.connections} connections).
Idle 5 s after the load: RSS **${mb(idle.rssKb)} MB**, RssAnon ${mb(idle.anonKb)} MB (peak RSS over the run so far ${mb(idle.peakRssKb)} MB).

## Scale of data

The guestbook with exactly 1,000 and 1,000,000 entries (every 50th hidden), 8 connections, ${machine.scaleSeconds} s each. *middle* and
*last* are the "Older entries" links a visitor reaches half-way through and at the last screen (\`?before=\` keyset
cursors), for the site and for the API's \`next\` links. *api-deepest-number* is the deepest page a client can ask for
by number (\`?page=N\`, at most 100: the last screen with 1,000 entries, page 100 with 1,000,000).

${scaleTable}

## Lighthouse

Lighthouse (the version package.json pins) with Debian Chromium (headless), simulated throttling; desktop at 1280 px wide, and the default
mobile preset. Transfer is the sum of every response the page loaded, video excluded.

${lighthouseTable}

## Settings chosen, and why

- **Garbage collector** (Web/Web.csproj, so the image's runtimeconfig carries it, and the start-up log line reports
  what the runtime took: \`GcServer\`, \`GcGen0MaxBudget\`, checked by \`make smoke\`): workstation GC
  (\`ServerGarbageCollection=false\`), non-concurrent (\`ConcurrentGarbageCollection=false\`), with gen0's budget capped
  at 6 MB (\`System.GC.Gen0MaxBudget\`). A task has 0.25-0.5 vCPU: server GC's per-core heaps buy no parallelism there
  (with one processor the runtime falls back to one heap anyway), and a background GC thread would compete for the same
  fraction of a core. Until 2026-12-02 the setting was misspelt (\`ServerGarbageCollector\`), MSBuild ignored it, and
  every figure before then on this 2-CPU machine was taken with server GC. The cap: a non-concurrent workstation GC lets
  gen0's budget grow to 200 MB from a start of 4/5 of the L3 cache (25 MB here), and under 128 connections posting the
  task's peak RSS was 232-236 MB (RssAnon 108) for a live heap of about 25 MB. With 4, 6 and 8 MB caps, measured here
  on 2026-12-02 (each twice, same warm-up): peak RSS 175, 178-181 and 184-188 MB, with guestbook views per second within
  the noise of the uncapped GC's and posting at 128 connections within it too at 6 MB (2,750-2,970 against
  2,860-2,980 req/s); at 0.25 vCPU posting cost up to a fifth more with a 4 MB cap. 6 MB is the cap the runtime itself
  keeps for a concurrent workstation GC. The heap limit is the runtime's container-aware default (75% of the task's
  512 MiB), so no \`GCHeapHardLimit\` is set; with one heap
  \`GCHeapAffinitizeMask\` has nothing to do. Tiered compilation and tiered PGO stay at their defaults: ReadyToRun
  code answers the first requests, hot methods are re-jitted with profile data. Measured on this machine (2026-12-02,
  guestbook at 32 connections, requests/s in each 5 s from a cold start): with the defaults 500, 580, 860, 1,600 ...
  then 3,200 after a minute; with tiered PGO off 1,200, 1,400, 1,800, 2,400 and no more than 2,600; with tiered
  compilation off about 950 throughout (ReadyToRun code is never re-jitted). PGO's 25% at steady speed is worth its
  minute of warm-up for a task that serves for hours.
- **ReadyToRun**: on whenever a runtime identifier is given (the Dockerfile's and this benchmark's publish).
- **Start-up path**: migrations run in a background service, so the server listens without waiting for them, and a
  database that has them all is seen so in one read (no lock, no DDL). The data protection key ring is read in the
  background once they are done (Web/Security/SecurityExtensions.cs), not by the framework's hosted service, which the
  host waited for before it listened. The minimal API endpoints' request delegates are generated at build time
  (\`EnableRequestDelegateGenerator\` in Web/Web.csproj), and the API's, gallery's, media's and health report's JSON
  contracts too (source-generated \`JsonSerializerContext\`s, a hand-written health report), not built by reflection.
  Log levels are read from configuration by Web/Hosting/LogLevels.cs, not by Serilog's configuration reader, which scanned
  and loaded every assembly of the app; the duplicate-line filter is a predicate, not a compiled expression; and the
  reference log template is compiled only for a line that needs it. In a sampled trace (2026-12-02) the main thread's
  way to listening fell from 818 to 486 ms with these; what remains is the host itself, Razor Pages' page models and
  services (about 150 ms), the static assets manifest, the routing table built on the first request and the first
  database connection.

## What was changed for speed

- **What every view reads is kept in memory, at most 1 s** (Web/Data/CachedRead.cs, \`ReadCache:LifetimeMs\`, 500 ms
  by default, no more than 1000 accepted): the newest screen of guestbook entries (Web/Guestbook/GuestbookStore.cs),
  the published pages with the site's menu (Web/Content/PageStore.cs: the layout shows the menu on every page, so
  even \`/guestbook\` made that query for every view), and the gallery's visible items (Web/Gallery/GalleryStore.cs,
  a query and two JSON parses per item per view). Each task now reads each of them about twice a second instead of
  once per view. On this machine (2026-12-02, 32 connections): \`/guestbook\` 1,310 req/s with only its entries kept,
  3,050 with the menu kept too; \`/about\` 1,730 before, 6,900 after. What it keeps to, proved by
  Web.Tests/Guestbook/NewestCacheTests.cs with two app instances on one database, the second on a clock that moves
  only when the test moves it: a task that stores an entry reads again at once; the page a post redirects to
  (\`?posted=ID\`) reads again when it holds nothing as new as that entry, so its author sees it on whichever task the
  load balancer picks; every other task shows a new entry, and stops showing a hidden one, once its screen is a
  lifetime old, not before and not later. **During a database outage the page still answers 503**, as soon as the
  lifetime is over: a failed read is never kept, and no stale list is served past the 1 s promise (a list the owner
  has just hidden an entry from must not come back because the database is away). The owner's pages and gallery
  keep to the same: the task that saves shows the change at once, every other within the lifetime
  (Web.Tests/Content/PagesCacheTests.cs, Web.Tests/Gallery/GalleryCacheTests.cs), and the outage answer is proved for
  all of them (CachedReadOutageTests). Other screens (\`?before=\`, \`?after=\`, \`?page=N\`) read the database as
  before. What it costs: a 20-entry list, the published pages and the gallery's rows per task (tens of KB), and up to
  a lifetime before other tasks show a change.
- **One entry's markup, without a partial view per entry.** The guestbook page wrote each entry (and the template its
  script fills in) through \`<partial>\`, a view lookup and a view context per entry, 21 per view; it is now a Razor
  function in the page, still the one source of that markup.
- **The guestbook's form without tag helpers** (Web/Guestbook/Index.cshtml). The form tag helper buffered and copied
  everything inside the form only to append the antiforgery token, and each \`asp-for\` built a LINQ expression tree on
  every view; in a CPU profile (perf, 2026-12-02) the form's tag helpers were about a tenth of a view's time. The form is
  now plain markup with \`@Html.AntiForgeryToken()\` (the token is still on every form and still checked), and the
  fields show the model's values, which are what the visitor typed as the server keeps it. Measured on this machine
  (2026-12-02, 32 connections, 6 alternating rounds of 5 s with the ceiling): 0.93 of the ceiling before, 1.19 after.
  The contact form, far less visited, keeps its tag helpers.
- **Log lines formatted outside the stdout lock** (Web/Hosting/StdoutSink.cs). Serilog's console sink formats each line
  while it holds the console's lock, so under load requests queued there behind one another's formatting; the sink
  now formats on the request's own thread into a buffer of that thread's and holds a lock only for the one write of the
  whole line. Nothing is queued in the process, so a task that stops loses no line. Same run: 0.87 of the ceiling
  before, 0.93 after.
- **The request log line is written by a hand-made formatter** (Web/Hosting/LogLineFormatter.cs), byte for byte the
  line the Serilog.Expressions template wrote: every line the tests capture is written both ways and compared
  (Web.Tests/Infrastructure/LogCapture.cs, Web.Tests/Hosting/LogLineFormatterTests.cs), and the template itself still
  writes the rare line whose message holds a structure, a list or an aligned hole. Measured on this machine
  (2026-12-02, loaded) on a typical completion line: 8.5 µs and 752 bytes per line, against 52 µs and 6,152 bytes for
  the template. **Every request still writes its line at Information with every field**: sampling or aggregating
  success lines would lose what on-call uses (the line a visitor's error id finds, the per-route metrics that
  CloudWatch extracts from every line, the slow-request search), so none is dropped.
- **No log context push per request.** The route was pushed onto Serilog's log context for every request, so that
  lines logged inside it carry it; an enricher (RouteEnricher) now reads it from the request only when a line is
  written, with one property object per route. The completion line's CloudWatch metric directives are made once per
  task (with and without database time); only their timestamp is made per line.
- **Keyset pages at any depth.** MariaDB chose a \`ref\` lookup on \`hidden = 0\` alone for
  \`WHERE hidden = 0 AND id < ? ORDER BY id DESC LIMIT 21\` and walked every newer entry to reach the cursor:
  about 1 s for the page half-way through a million entries, and 190 ms for the "is there a newer page" check.
  The queries now name the \`(hidden, id)\` index (Web/Guestbook/GuestbookStore.cs) and read it as a range: 0.1 ms at
  any depth, which is why the 1,000,000-entry pages above match the 1,000-entry ones.
- **Brotli and gzip at build time too**, so the tests check the same precompressed, fingerprinted assets the image serves.
- **Not changed: \`ConnectionReset\`.** Turning off MySqlConnector's reset of a pooled connection measured 1.20x on
  pages that query, but carries one use's session state (variables, an open transaction after a fault) into the next;
  with the newest screen kept in memory it no longer touches the guestbook's first page, so the reset stays.

## Reading the figures

- **Ceiling ratio.** Before the changes above, what each request cost the app's process in CPU time, measured on
  this machine (2026-11-28) with \`dotnet-counters\` (process CPU time and bytes allocated over 5 s, divided by the
  requests served) at 32 connections, after a minute of warm-up:

  | what was served | CPU per request | allocated per request |
  | --- | --- | --- |
  | the ceiling's guestbook (bench/Ceiling) | 120 µs | 66 KB |
  | \`/health/live\` (the whole middleware pipeline, no page) | 21 µs | 5 KB |
  | \`/about\` (a Razor page with the layout, no database) | 96 µs | 30 KB |
  | \`GET /api/guestbook\` (the same query as JSON) | 186 µs | 37 KB |
  | the guestbook's entries with the layout, without the form (a probe page) | 248 µs | 63 KB |
  | \`/guestbook\` (entries and form) | 390-410 µs | 79-87 KB |

  Razor was never the bottleneck (\`/about\` costs less than the ceiling): the queries per view were (the entries and
  the menu), and the log line. The ceiling still makes its query and its round trips to MariaDB for every request; the
  page now makes them about twice a second per task, and keeps its antiforgery token, its request line, its rate
  limits and its security headers. Every page still carries a per-visitor token, so it is the data that is kept,
  never the page.
- **Warm-up.** A fresh process serves at a sixth of its speed at first and reaches it after about a minute of full
  load (the figures under "Garbage collector" above): the JIT recompiles the hot code, first instrumented, then with
  what it measured. The benchmark therefore loads each page first; a short warm-up would compare a cold app with a
  small, quickly warm ceiling. On a 0.25 vCPU task that minute is four, which is why a task that scaled out under a
  spike is slower than its steady figure below for its first minutes (docs/operations.md, capacity).
- **Per task.** A task's CPU limit is a CFS quota: the app may run 25 ms (0.25 vCPU) or 50 ms (0.5 vCPU) in every
  100 ms, which is what the cgroup gives the second copy here. p99 latency at that size includes the throttled part
  of each period. The API's \`GET /api/guestbook\` is the same newest screen, as JSON.
- **Soak.** RSS and RssAnon from \`/proc/PID/status\`, the GC heap as \`dotnet-counters\` reports it (the heap after the
  last collection, and the memory the GC has committed), every 10 s. The slopes are least-squares fits over the last
  two thirds of the soak (the first is warm-up: tiered compilation, pools, caches). The run fails if the fit carries
  the GC heap more than 4 MB, or RssAnon more than 16 MB, over those two thirds.
- **Memory.** RSS counts more than the task is charged for. After the load, \`/proc/PID/smaps\` of the app showed
  about 74 MB of the shared framework's code files (mapped, and shared with every other .NET process on the host),
  28 MB of jitted code (mapped twice under W^X, the runtime's default: \`/memfd:doublemapper\`), 44 MB of private
  memory (the managed heap, about 25 MB committed, and the runtime's own) and a few MB of the app's code.
  Under 128 concurrent connections the peak rises by about 50 MB: that many requests in flight, each with its
  pooled MySQL connection, Kestrel buffers and Razor output, at the guestbook's 80 KB allocated per request.
  Tried on this machine (peak at 128 connections, guestbook and API): tiered PGO off, a 4 MB gen0 budget,
  \`GCConserveMemory\`, a 32-connection pool and W^X off each stayed within 190-207 MB (the noise); tiered
  compilation off reached 175 MB at half the throughput. None is set: each costs more than it saves. The target
  is peak RSS at 128 connections <= 200 MB, with RssAnon, the part that is the task's own, reported beside it. The 512 MiB task keeps 300 MB of headroom over the measured peak.
- **API page numbers** (\`?page=N\`) are an OFFSET, which costs a walk of the index up to it: half-way through a
  million entries that was 330 ms a request, an easy way to load the database. So numbers stop at page 100 (the
  newest 2,000 entries; beyond it a 400 says to follow \`next\`), and every \`next\`/\`previous\` link the API
  gives is a keyset cursor (\`?before=\`, \`?after=\`), as cheap at any depth as the first page.
- **Front-end caching** is checked by Web.Tests/Performance/CachingTests.cs: fingerprinted CSS, JS and icon served
  \`max-age=31536000, immutable\` (no \`public\` needed: they carry no credentials, so shared caches may store them)
  with \`Content-Encoding: br\` (gzip for clients without Brotli); media with ETag and Last-Modified answering 304;
  pages with an antiforgery token \`no-store\`, never public; home, about and gallery \`public, max-age=60\`; every
  script a module (never render-blocking).
`;

writeFileSync(docPath, doc);
// Its own rows of docs/deploy.md's cost table replaced, just above the total.
if (costRows.length > 0) {
    const lines = readFileSync(deployPath, "utf8").split("\n").filter((line) => !line.startsWith("| requests per dollar of Fargate"));
    lines.splice(lines.findIndex((line) => line.startsWith("| **total** |")), 0, ...costRows);
    writeFileSync(deployPath, lines.join("\n"));
}
console.log(["## Targets", targets, "", "## Load", loadTable, "", "## Per task", taskTable, "", "## Soak", soakTable, "", "## Scale of data", scaleTable, "", "## Lighthouse", lighthouseTable].join("\n"));
console.log(`\nStart-up median ${startupMedian} ms; idle RSS ${mb(idle.rssKb)} MB. Written to ${docPath}.`);
const failures = [
    ...(errors > 0 ? [`${errors} request(s) failed (non-2xx/3xx or socket errors): see the errors columns.`] : []),
    ...leaks.map((l) => `memory grew over the soak: ${l.what} ${l.perMinute.toFixed(3)} MB/min, more than ${allowanceMb[l.field]} MB over its last two thirds (a leak).`),
];
if (failures.length > 0) {
    console.error(failures.join("\n"));
    process.exit(1);
}
