-- Signs the guestbook through the JSON API, each request with a message of its own.
dofile("bench/wrk/report.lua")

local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("thread", threads)
end

local sent = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
    sent = sent + 1
    local body = string.format(
        '{"name":"Load test","message":"Entry %d-%d-%d from the benchmark: a short note like a visitor would leave."}',
        thread or 0, sent, os.time())
    return wrk.format(nil, "/api/guestbook", nil, body)
end
