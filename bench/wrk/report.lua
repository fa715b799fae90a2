-- Ends every wrk run with one JSON line for scripts/bench.sh: throughput, latency percentiles (ms) and errors.
-- Errors are responses outside 2xx/3xx plus socket errors (connect, read, write, timeout).
function done(summary, latency, requests)
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'BENCH {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50":%.3f,"p90":%.3f,"p99":%.3f,"errors":%d}\n',
        summary.requests, seconds, summary.requests / seconds,
        latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
        e.status + e.connect + e.read + e.write + e.timeout))
end
