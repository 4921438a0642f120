-- Prints one JSON line with wrk's totals and latency percentiles, read by bench/catalog.py.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "p50_us": %.1f, "p99_us": %.1f, ' ..
    '"socket_errors": %d, "status_errors": %d, "bytes": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status, summary.bytes))
end

-- With BENCH_MISS_PAGE_CACHE=1 (bench/catalog.py's uncached side) every request adds a query parameter no request
-- has used before (this run's start time and a counter), so the page cache misses and the page is rendered; the
-- pages ignore the parameter. Headers given with -H (the cart's cookies) are sent as usual.
if os.getenv("BENCH_MISS_PAGE_CACHE") == "1" then
  local run, counter = os.time(), 0
  request = function()
    counter = counter + 1
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. "bench_miss=" .. run .. "-" .. counter)
  end
end
