-- POST /api/orders: three different products (from $PRODUCT_IDS), one of each.
local token = os.getenv("TOKEN")
local ids = {}
for id in string.gmatch(os.getenv("PRODUCT_IDS"), "%d+") do ids[#ids + 1] = id end
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }

request = function()
  local a = math.random(#ids)
  local b = a % #ids + 1
  local c = b % #ids + 1
  local body = string.format(
    '{"items":[{"product_id":%s,"quantity":1},{"product_id":%s,"quantity":1},{"product_id":%s,"quantity":1}]}',
    ids[a], ids[b], ids[c])
  return wrk.format("POST", "/api/orders", headers, body)
end
