// Turns a dotnet-counters JSON file (System.Runtime, one batch per refresh) into one line per batch for
// scripts/bench.sh: the GC heap after the last collection (every generation) and the memory the GC has committed.
// Usage: node scripts/bench-counters.mjs counters.json
import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2], "utf8").trim();
// A session stopped mid-write leaves the event list open.
const { StartTime, Events } = JSON.parse(text.endsWith("}") && text.includes("]") ? text : `${text.replace(/,\s*$/, "")}]}`);
const start = Date.parse(StartTime);
let batch = null;
const flush = () => {
    if (batch?.heap !== undefined && batch.committed !== undefined) {
        console.log(JSON.stringify({ kind: "gcheap", seconds: Math.round((batch.at - start) / 1000), heapKb: Math.round(batch.heap / 1024), committedKb: Math.round(batch.committed / 1024) }));
    }
};
for (const event of Events) {
    // Every batch starts with the same counter; its reappearance ends the batch before.
    if (event.name.startsWith("dotnet.assembly.count")) {
        flush();
        batch = { at: Date.parse(event.timestamp) };
    } else if (batch && event.name.startsWith("dotnet.gc.last_collection.heap.size")) {
        batch.heap = (batch.heap ?? 0) + event.value;
    } else if (batch && event.name.startsWith("dotnet.gc.last_collection.memory.committed_size")) {
        batch.committed = event.value;
    }
}
flush();
