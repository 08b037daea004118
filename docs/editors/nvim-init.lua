-- Neovim (0.7 or newer, no plugin): clangd for every C and C++ file, rooted at the folder
-- Neovim was started in (the checkout: clangd reads its compile_commands.json there).
-- Use it with `nvim -u docs/editors/nvim-init.lua FILE`, or copy it into your own init.lua.
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'c', 'cpp' },
  callback = function(args)
    local client = vim.lsp.start_client({ name = 'clangd', cmd = { 'clangd' },
                                          root_dir = vim.fn.getcwd() })
    if client then vim.lsp.buf_attach_client(args.buf, client) end
  end,
})
