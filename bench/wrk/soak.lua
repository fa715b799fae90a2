-- The soak's steady load: mostly guestbook views, and one post in 20 through the JSON API, so that the newest
-- screen is read again and again, posts go through the database, and anything a request leaves behind accumulates.
dofile("bench/wrk/report.lua")

local sent = 0
function request()
    sent = sent + 1
    if sent % 20 ~= 0 then
        return wrk.format("GET", "/guestbook")
    end
    local body = string.format('{"name":"Soak","message":"Soak entry %d-%d: a short note like a visitor would leave."}', sent, os.time())
    return wrk.format("POST", "/api/guestbook", { ["Content-Type"] = "application/json" }, body)
end
