-- Float loops: Mandelbrot set membership on a grid (float multiply/add, comparisons, loops).
local size = 600
local maxIter = 100
local inside = 0
local weighted = 0
for y = 0, size - 1 do
  local ci = 2.0 * y / size - 1.0
  for x = 0, size - 1 do
    local cr = 2.0 * x / size - 1.5
    local zr, zi = 0.0, 0.0
    local n = 0
    while n < maxIter do
      local zr2, zi2 = zr * zr, zi * zi
      if zr2 + zi2 > 4.0 then break end
      zi = 2.0 * zr * zi + ci
      zr = zr2 - zi2 + cr
      n = n + 1
    end
    if n == maxIter then inside = inside + 1 end
    weighted = weighted + n
  end
end
print("checksum", inside, weighted)
