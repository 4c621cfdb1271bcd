-- Comment POSTs for wrk: each request sends the next prepared form (its own token).
local bodies = {}
for line in io.lines(os.getenv("BENCH_BODIES")) do
  bodies[#bodies + 1] = line
end
local index = 0
request = function()
  index = index + 1
  return wrk.format("POST", nil, nil, bodies[(index - 1) % #bodies + 1])
end
