-- Pins down a complete program: a deterministic serializer (sorted keys, cycles, escapes).
local function serialize(v, seen, indent)
  seen = seen or {}
  indent = indent or ""
  local tv = type(v)
  if tv == "string" then return string.format("%q", v)
  elseif tv == "number" or tv == "boolean" or tv == "nil" then return tostring(v)
  elseif tv == "table" then
    if seen[v] then return "<cycle>" end
    seen[v] = true
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b)
      local ta, tb = type(a), type(b)
      if ta ~= tb then return ta < tb end
      return a < b
    end)
    local out = {}
    for _, k in ipairs(keys) do
      out[#out + 1] = indent .. "  [" .. serialize(k, seen) .. "] = " ..
        serialize(v[k], seen, indent .. "  ")
    end
    seen[v] = nil
    if #out == 0 then return "{}" end
    return "{\n" .. table.concat(out, ",\n") .. "\n" .. indent .. "}"
  end
  return "<" .. tv .. ">"
end
local data = {
  name = "lunette", version = 5.4, tags = {"vm", "gc", "wasm"},
  nested = {deep = {deeper = {true, false}}}, [1] = "one", [2.5] = "float key",
  esc = "line\nbreak\t\"quoted\"\0zero", fn = print,
}
data.self = data
print(serialize(data))
