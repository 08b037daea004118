-- Run by check_neovim.sh inside a headless Neovim: plants a narrowing conversion in the open
-- buffer (never on disk), waits for clangd's diagnostics, prints one per line and quits.
local buf = vim.api.nvim_get_current_buf()
local line = vim.fn.search('BP_EXERCISE') - 1
vim.api.nvim_buf_set_lines(buf, line, line, false, { '  int planted = 1.5;' })
local arrived = vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 100)
for _, d in ipairs(vim.diagnostic.get(buf)) do
  io.stdout:write(string.format('%d: %s\n', d.lnum + 1, d.message))
end
if not arrived then io.stdout:write('no diagnostics within 60 s\n') end
vim.cmd('qa!')
