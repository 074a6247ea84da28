-- Pins down a complete program: N-queens by backtracking (recursion, tables, loops) for N=1..8.
local function solve(n)
  local cols, count, first = {}, 0, nil
  local function ok(row, col)
    for r = 1, row - 1 do
      local c = cols[r]
      if c == col or math.abs(c - col) == row - r then return false end
    end
    return true
  end
  local function place(row)
    if row > n then
      count = count + 1
      if not first then first = table.concat(cols, " ", 1, n) end
      return
    end
    for col = 1, n do
      if ok(row, col) then
        cols[row] = col
        place(row + 1)
      end
    end
  end
  place(1)
  return count, first
end
for n = 1, 8 do print(n, solve(n)) end
