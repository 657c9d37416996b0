// The Worker's entry (wrangler.toml main = build/worker.mjs): the Go
// program (app.wasm, GOOS=js) served by a pool of long-lived instances
// (pool.mjs). wasm_exec.js is Go's own support file with syumai/workers'
// patch, which gives each instance its runtime context (env, ctx, binding)
// as globalThis.context.
import "./wasm_exec.js";
import mod from "./app.wasm";
import { Pool } from "./pool.mjs";

// Go calls fetch with its global object, which syumai's patch makes a Proxy
// of globalThis; workerd refuses fetch called on anything but globalThis
// ("Illegal invocation"), so it is bound once here.
globalThis.fetch = globalThis.fetch.bind(globalThis);

const pool = new Pool(mod);

export default {
  fetch(req, env, ctx) {
    return pool.fetch(req, env, ctx);
  },
  scheduled(event, env, ctx) {
    return pool.scheduled(event, env, ctx);
  },
};
