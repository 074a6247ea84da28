-- Pins down method definitions and calls: a:f() sugar, self, inheritance via __index, dotted names.
local Account = {}
Account.__index = Account
function Account.new(balance) return setmetatable({balance = balance}, Account) end
function Account:deposit(v) self.balance = self.balance + v; return self end
function Account:get() return self.balance end
local acc = Account.new(100)
print(acc:deposit(50):deposit(25):get())
print(Account.get(acc), acc.get(acc))

-- inheritance
local Savings = setmetatable({}, {__index = Account})
Savings.__index = Savings
function Savings.new(b, rate)
  local o = Account.new(b)
  o.rate = rate
  return setmetatable(o, Savings)
end
function Savings:interest() return self.balance * self.rate end
function Savings:get() return "S:" .. Account.get(self) end
local s = Savings.new(200, 0.5)
print(s:interest(), s:get(), s:deposit(1):get())

-- nested dotted function names and methods
local a = {b = {c = {}}}
function a.b.c.f(x) return "f" .. x end
function a.b.c:m(x) return self == a.b.c, x end
print(a.b.c.f(1), a.b.c:m(2))

-- methods on values produced by expressions
local function make() return {v = 7, get = function(self) return self.v end} end
print(make():get(), (make()):get())

-- method call evaluates the object once
local count = 0
local function obj() count = count + 1; return {m = function(self) return count end} end
print(obj():m(), count)

-- method call on string values uses the string table
local str = "hello"
print(str:upper(), ("x"):rep(3), str:len(), #str:sub(2))

-- string literal method call forms
print(("%d-%d"):format(1, 2))

-- self is just a parameter
local t = {name = "t"}
function t.explicit(self) return self.name end
print(t:explicit(), t.explicit({name = "other"}))

-- calling a method that does not exist
print(pcall(function() return acc:nosuch() end))
