-- wrk script: random person pages of desk_bench's database (see docs/server.md, Performance).
math.randomseed(7)
request = function()
  return wrk.format("GET", "/persons/" .. math.random(1, 333333))
end
