-- utf8.codes as 5.4.8 has it: a continuation byte that does not belong to the character
-- before it raises "invalid UTF-8 code" (5.4.4 skipped it), and so does a subject that starts
-- with one (an argument error, before any iteration).
local function iterate(s, lax)
  local out = {}
  local ok, err = pcall(function()
    for p, c in utf8.codes(s, lax) do out[#out + 1] = p .. ":" .. c end
  end)
  print(ok, table.concat(out, " "), err)
end

iterate("a\x80b")
iterate("a\x80")
iterate("a\x80\x80b")
iterate("\u{20AC}\x80z")
iterate("ab\u{20AC}\x80", true)
iterate("\x80")
iterate("\x80abc", true)
-- valid text is unaffected
iterate("h\u{E9}llo\u{20AC}")
iterate("")
print(pcall(utf8.codes, "\xbfx"))
-- the iterator called by hand: position 1 of "h\u{E9}" is the start of a character
local f, s = utf8.codes("h\u{E9}")
print(f(s, 0))
print(f(s, 1))
print(f(s, 2))
print(pcall(f, "x\x80", 0))
