-- wrk script: chat turns cycling through questions in three languages.
local qs = {
  '{"message":"Miten uusin reseptin?","lang":"fi"}',
  '{"message":"hur bokar jag tid till tandläkare","lang":"sv"}',
  '{"message":"where is the emergency department","lang":"en"}',
  '{"message":"hammaslääkäriaika","lang":"fi"}',
  '{"message":"kotihoidon hakeminen äidille","lang":"fi"}',
  '{"message":"what does a visit cost","lang":"en"}',
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", "/api/chat", {["Content-Type"] = "application/json"}, qs[(i % #qs) + 1])
end
