-- wrk script of bench/web.py: cycle through the paths given after "--", stop each thread after
-- its share of responses, and print one JSON line with counts and latency percentiles.
--   wrk -t1 -c8 -d10s -s bench/web.lua http://127.0.0.1:PORT -- LIMIT /path1 /path2 ...
-- wrk's main thread sleeps for -d however early the threads stop (only SIGINT wakes it), so the
-- time from the first request to the last response is measured here (LuaJIT ffi, monotonic).
-- A thread may complete a few in-flight responses after its stop (at most connections - 1).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_web_timespec;
int clock_gettime(int clock, bench_web_timespec *ts);
]]
local timespec = ffi.new("bench_web_timespec")

local function now_us()
  ffi.C.clock_gettime(1, timespec)
  return tonumber(timespec.tv_sec) * 1e6 + tonumber(timespec.tv_nsec) / 1e3
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  limit = tonumber(args[1])
  paths = {}
  for i = 2, #args do
    paths[#paths + 1] = args[i]
  end
  counter = 0
  responses = 0
  non2xx = 0
  first_us = 0
  last_us = 0
end

function request()
  if counter == 0 then
    first_us = now_us()
  end
  counter = counter + 1
  return wrk.format("GET", paths[(counter - 1) % #paths + 1])
end

function response(status, headers, body)
  responses = responses + 1
  last_us = now_us()
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
  if responses == limit then
    io.write("LIMIT\n")  -- bench/web.py then sends SIGINT, which ends wrk's -d sleep early
    io.flush()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local bad, first, last = 0, nil, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
    local started = thread:get("first_us")
    if started > 0 and (first == nil or started < first) then
      first = started
    end
    last = math.max(last, thread:get("last_us"))
  end
  local active = (first and last > first) and (last - first) or summary.duration
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "active_us": %d, "non2xx": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, active, bad, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
