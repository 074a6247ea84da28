// server.js - the "Server" setting: run the script as it is (none) or as a request handler of
// an OpenResty (ngx) or skynet service, on the VM's virtual clock (lunette --shim=NAME).
//
// One list names the choices for the selector, autosave, share links and the worker payload.
// Invariant: normalizeServer() returns one of SERVERS; in strict mode (share links) anything
// else is refused with an Error whose message is meant for the user.

export const SERVERS = ['none', 'ngx', 'skynet'];

export const SERVER_LABELS = {
  none: 'none',
  ngx: 'ngx (OpenResty)',
  skynet: 'skynet',
};

export function normalizeServer(value, { strict = false } = {}) {
  if (value === undefined || value === null || value === '') return 'none';
  if (SERVERS.includes(value)) return value;
  if (strict) throw new Error(`"${String(value).slice(0, 40)}" is not a server the page knows`);
  return 'none';
}

// The worker's `shim` for a server setting: "" runs plain Lua.
export function shimOf(server) {
  return server === 'none' ? '' : server;
}

// The selector: `onChange(server)` when the user picks; update(state) shows the setting.
export function mountServerPicker(select, { onChange }) {
  for (const name of SERVERS) select.add(new Option(SERVER_LABELS[name], name));
  select.addEventListener('change', () => onChange(normalizeServer(select.value)));
  return {
    update(state) {
      if (select.value !== state.server) select.value = state.server;
    },
  };
}
