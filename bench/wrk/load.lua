-- wrk script of bench.web: plain GETs (with the headers given by -H), or with BENCH_POSTERS
-- set, form posts of replies to BENCH_PATH by the posters in that file (one "cookie<TAB>csrf
-- token" per line), each reply a different text. At the end one line "WRK_JSON {...}" with
-- the figures, for bench.web to read.

local posters_file = os.getenv("BENCH_POSTERS")
local path = os.getenv("BENCH_PATH")
local threads = {}
local posters = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  if posters_file then
    for line in io.lines(posters_file) do
      local cookie, token = line:match("^(.-)\t(.*)$")
      table.insert(posters, { cookie = cookie, token = token })
    end
  end
end

function request()
  if #posters == 0 then
    return wrk.request()
  end
  counter = counter + 1
  local poster = posters[(counter * 7 + number) % #posters + 1]
  local body = "csrf_token=" .. poster.token
    .. "&body=Reactie+" .. number .. "-" .. counter
    .. "%3A+ik+herken+veel+van+wat+je+schrijft+en+lees+met+je+mee.+Sterkte+deze+week."
  local headers = {
    ["Cookie"] = poster.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "status_errors": %d, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read,
    errors.write, errors.timeout, errors.status, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
