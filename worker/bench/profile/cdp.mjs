// A CPU profile of the Worker in workerd, through wrangler dev's DevTools
// inspector (make worker-bench with PAYLASTIC_BENCH_PROFILE=dir):
//
//   node cdp.mjs http://127.0.0.1:<inspector-port> out.cpuprofile <interval µs>
//
// It starts V8's sampling profiler on the Worker's target, prints
// "started", and stops it when its standard input closes, writing the
// profile (DevTools' .cpuprofile JSON; Go's functions are named when
// app.wasm keeps its name section, that is, is built without -s).
// ws is wrangler's own dependency (node_modules).
import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.cwd() + "/");
const WebSocket = require("ws");

const [inspector, out, interval] = process.argv.slice(2);
const targets = await (await fetch(inspector + "/json")).json();
const target = targets.find((t) => t.webSocketDebuggerUrl);
if (!target) throw new Error("no inspector target at " + inspector + ": " + JSON.stringify(targets));

const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((resolve, reject) => {
  ws.once("open", resolve);
  ws.once("error", reject);
});
let next = 1;
const waiting = new Map();
ws.on("message", (data) => {
  const m = JSON.parse(data);
  const w = m.id && waiting.get(m.id);
  if (!w) return;
  waiting.delete(m.id);
  if (m.error) w.reject(new Error(JSON.stringify(m.error)));
  else w.resolve(m.result);
});
const send = (method, params = {}) =>
  new Promise((resolve, reject) => {
    const id = next++;
    waiting.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });

await send("Profiler.enable");
// The sampling interval (TestProfile's PAYLASTIC_BENCH_INTERVAL): a longer
// one distorts less (each sample stops the isolate), with fewer samples.
await send("Profiler.setSamplingInterval", { interval: Number(interval) });
await send("Profiler.start");
console.log("started");
process.stdin.resume();
await new Promise((resolve) => process.stdin.on("end", resolve));
const { profile } = await send("Profiler.stop");
writeFileSync(out, JSON.stringify(profile));
ws.close();
process.exit(0);
