// The bench Go Worker's bundle: syumai's generated shim (worker.mjs, which
// runs app.wasm) and the Durable Object class it calls.
export { default } from "./worker.mjs";
export { CheckDO } from "./check_do.mjs";
