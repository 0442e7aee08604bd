-- 70% browsing (product list, a search, one product, the order list), 20% creating orders,
-- 9% the dashboard, 1% signing in.
local token = os.getenv("TOKEN")
local ids = {}
for id in string.gmatch(os.getenv("PRODUCT_IDS"), "%d+") do ids[#ids + 1] = id end
local auth = { ["Authorization"] = "Bearer " .. token }
local json = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local login = string.format('{"username":"%s","password":"%s"}', os.getenv("USERNAME"), os.getenv("PASSWORD"))
local browse = {
  "/api/products?page=1&per_page=20",
  "/api/products?page=1&per_page=20&q=%E8%8C%B6",
  "/api/products/17",
  "/api/orders?status=completed&date_from=2026-10-01&date_to=2026-10-31&per_page=20",
}

request = function()
  local r = math.random(100)
  if r <= 70 then
    return wrk.format("GET", browse[math.random(#browse)], auth)
  elseif r <= 90 then
    local a = math.random(#ids)
    local b = a % #ids + 1
    local c = b % #ids + 1
    return wrk.format("POST", "/api/orders", json, string.format(
      '{"items":[{"product_id":%s,"quantity":1},{"product_id":%s,"quantity":1},{"product_id":%s,"quantity":1}]}',
      ids[a], ids[b], ids[c]))
  elseif r <= 99 then
    return wrk.format("GET", "/api/stats", auth)
  else
    return wrk.format("POST", "/api/auth/login", { ["Content-Type"] = "application/json" }, login)
  end
end
