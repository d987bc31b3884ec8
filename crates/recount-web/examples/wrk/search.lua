-- wrk script: random two-word name searches on /records (see docs/server.md, Performance).
math.randomseed(7)
local words = {"Бекболат","Айбек","Нурлан","Тимур","Asanov","Usenov","Sadykov","Mamatov","Kasymov","Osmonov"}
local words2 = {"Асанов","Усенов","Садыков","Bekbolat","Aibek","Marat","Timur","Askar"}
local function enc(s) return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
request = function()
  return wrk.format("GET", "/records?q=" .. enc(words[math.random(#words)] .. " " .. words2[math.random(#words2)]))
end
