// The pool of Go instances of one Worker isolate.
//
// syumai/workers' own entry starts a fresh Go instance and runs main() for
// every event: about 10 ms of CPU before the product does anything, the
// whole of the Free plan's budget. Here an instance serves many events, one
// at a time:
//
//   - lease: an idle instance if there is one, a new one while fewer than
//     maxLive are alive, or else wait (bounded) for one to be released; an
//     instance is never shared by two events at once, because syumai's
//     runtime context (env, ctx) is one object per instance, read by Go
//     when it is used;
//   - bind: the event's env and ctx are set on that object, and the ctx is
//     wrapped so the pool sees every waitUntil;
//   - rearm: the Go runtime's pending timer is set again in this event's
//     I/O context (workerd drops timers set by an event that has ended, and
//     Go then waits for it before it schedules any later one);
//   - release: once the answer's body is complete (the bridge hands it over
//     whole) and every waitUntil task has settled; then the instance goes
//     back to the idle list, or is retired when its linear memory is over
//     retireBytes or it has served maxUses events;
//   - crash: an instance whose Go program exits or traps is dropped; the
//     events it was serving answer 500 and the next gets a new instance;
//   - boundary: events reach Go, and Go's KV, D1 and fetch calls reach the
//     platform, through the "paylastic" imports and exports (imports(),
//     OPS, and worker/jshost on the Go side) as bytes in Go's linear
//     memory. An event leaves Go holding no JavaScript value; syscall/js
//     is left for the env (read again only when it changed), the
//     binding's envChanged flag and console.log, one call per log line.
//
// It relies on internals of wasm_exec.js (Go 1.26, with syumai's context
// patch): the gojs import names runtime.scheduleTimeoutEvent and
// runtime.clearTimeoutEvent, the fields mem, _scheduledTimeouts and
// _nextCallbackTimeoutID, the methods _resume and exit, and run(instance,
// context). worker/workertest TestPinnedRuntime fails when any of them
// changes.

const DEFAULTS = {
  maxLive: 3, // instances alive at once (each takes 10-30 MB of the isolate's 128)
  maxIdle: 3, // instances kept idle for the next events
  retireBytes: 32 << 20, // linear memory past which an instance is retired
  maxUses: 5000, // events an instance serves before it is retired
  waitMs: 20000, // how long an event waits for an instance before 503
};

let nextInstanceID = 1;

// BENCH_IO_CRON is the cron string of the scheduled pass make worker-bench
// asks to be counted (wrangler dev's /cdn-cgi/handler/scheduled?cron=…).
const BENCH_IO_CRON = "bench-io";

// log writes one JSON object per line, as the Go side's slog does.
function log(level, msg, fields) {
  console.log(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
}

export class Pool {
  constructor(mod, opts = {}) {
    this.mod = mod;
    this.opts = { ...DEFAULTS, ...opts };
    this.idle = [];
    this.live = new Set();
    this.waiters = [];
    this.stats = { created: 0, reused: 0, retired: 0, crashed: 0, waited: 0, events: 0 };
  }

  // configure applies the Worker's vars to the pool's limits:
  // POOL_MAX_INSTANCES, and POOL_MAX_USES (events before an instance is
  // retired: lower only to see retirement happen, as TestPoolRetires does).
  configure(env) {
    const n = Number(env && env.POOL_MAX_INSTANCES);
    if (Number.isInteger(n) && n > 0) {
      this.opts.maxLive = n;
      this.opts.maxIdle = Math.min(this.opts.maxIdle, n);
    }
    const uses = Number(env && env.POOL_MAX_USES);
    if (Number.isInteger(uses) && uses > 0) this.opts.maxUses = uses;
  }

  async fetch(req, env, ctx) {
    this.configure(env);
    if (new URL(req.url).pathname === "/_test/pool" && env.PAYLASTIC_TEST_HOOKS === "1") {
      return this.statsResponse(env, ctx);
    }
    // make worker-bench counts the I/O of a request it marks, to run the
    // same calls in a plain JavaScript Worker (its "twin"): only with the
    // var BENCH_IO=1, which no deployment sets.
    const io = env.BENCH_IO === "1" && req.headers.get("x-bench-io") === "1" ? countIO(env) : null;
    let served;
    const res = await this.run(io ? io.env : env, ctx, (inst) => {
      served = inst;
      return inst.serve(req);
    }, () => new Response("internal error\n", { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } }));
    if (!io) return res;
    io.stop();
    const h = new Headers(res.headers);
    h.set("x-bench-io", JSON.stringify({ ...io.counts, memory: served ? served.memory() : 0, uses: served ? served.uses : 0 }));
    return new Response(res.body, { status: res.status, headers: h });
  }

  async scheduled(event, env, ctx) {
    this.configure(env);
    // Only a pass the bench marks is counted (its cron string is
    // BENCH_IO_CRON): counting hands Go another env object, which makes it
    // read its configuration again, and the timed passes must not pay that.
    const io = env.BENCH_IO === "1" && event.cron === BENCH_IO_CRON ? countIO(env) : null;
    await this.run(io ? io.env : env, ctx, (inst) => inst.scheduled(event), () => undefined);
    if (io) {
      io.stop();
      log("INFO", "bench io", io.counts);
    }
  }

  // run leases an instance for one event, runs f on it and releases it once
  // the event's waitUntil tasks have settled. A crash answers with failed().
  async run(env, ctx, f, failed) {
    let inst;
    try {
      inst = await this.lease(env);
    } catch (e) {
      log("ERROR", "pool: no instance", { err: String(e), ...this.stats });
      return new Response("busy, try again\n", { status: 503, headers: { "retry-after": "1", "content-type": "text/plain; charset=utf-8" } });
    }
    const tracked = track(ctx);
    inst.bind(env, tracked.ctx);
    let out;
    try {
      out = await f(inst);
    } catch (e) {
      inst.crash(e);
      out = failed();
    }
    const released = tracked.settled().then(() => this.release(inst));
    ctx.waitUntil(released);
    return out;
  }

  async lease(env) {
    this.stats.events++;
    for (;;) {
      const idle = this.idle.pop();
      if (idle) {
        if (idle.dead) continue;
        this.stats.reused++;
        idle.leased = true;
        return idle;
      }
      if (this.live.size < this.opts.maxLive) {
        const inst = new Instance(this);
        this.live.add(inst);
        inst.leased = true;
        try {
          await inst.start(env);
        } catch (e) {
          this.drop(inst);
          throw e;
        }
        this.stats.created++;
        log("INFO", "pool: instance created", { instance: inst.id, memory: inst.memory(), live: this.live.size, ...this.stats });
        return inst;
      }
      this.stats.waited++;
      await new Promise((resolve, reject) => {
        const w = { resolve, timer: setTimeout(() => { this.waiters = this.waiters.filter((x) => x !== w); reject(new Error("no instance free")); }, this.opts.waitMs) };
        this.waiters.push(w);
      });
    }
  }

  release(inst) {
    inst.leased = false;
    if (inst.dead) {
      this.drop(inst);
    } else if (inst.memory() > this.opts.retireBytes || inst.uses >= this.opts.maxUses || this.idle.length >= this.opts.maxIdle) {
      inst.dead = true;
      this.drop(inst);
      this.stats.retired++;
      log("INFO", "pool: instance retired", { instance: inst.id, uses: inst.uses, memory: inst.memory(), live: this.live.size, ...this.stats });
    } else {
      this.idle.push(inst);
    }
    this.wake();
  }

  drop(inst) {
    this.live.delete(inst);
    this.idle = this.idle.filter((i) => i !== inst);
    this.wake();
  }

  wake() {
    const w = this.waiters.shift();
    if (w) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  // statsResponse answers the pool's statistics (test builds only: the Go
  // side must say binding.testHooks).
  async statsResponse(env, ctx) {
    const inst = await this.lease(env);
    inst.bind(env, track(ctx).ctx);
    const allowed = inst.binding.testHooks === true;
    this.stats.events--; // not an event of the product's
    this.release(inst);
    if (!allowed) return new Response("not found\n", { status: 404 });
    const instances = [...this.live].map((i) => ({ id: i.id, uses: i.uses, memory: i.memory(), leased: i.leased }));
    return new Response(JSON.stringify({ ...this.stats, live: this.live.size, idle: this.idle.length, opts: this.opts, instances }), { headers: { "content-type": "application/json" } });
  }
}

// countIO wraps an event's env and the global fetch to count the KV calls,
// the D1 statements (each one's text and the rows it answered, in order)
// the outbound requests (with their body bytes) and the log lines (with
// their characters: the product logs with console.log, which wrangler dev
// sends on to its terminal) of one event.
function countIO(env) {
  const counts = { get: 0, put: 0, list: 0, delete: 0, fetch: 0, bytes: 0, log: 0, logChars: 0, sql: [] };
  const kv = env.KV;
  const kvProxy = new Proxy(kv, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target);
      if (typeof v !== "function") return v;
      return (...args) => {
        if (prop in counts) counts[prop]++;
        return v.apply(target, args);
      };
    },
  });
  const fetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    counts.fetch++;
    const body = init && init.body;
    if (body && body.byteLength !== undefined) counts.bytes += body.byteLength;
    return fetch(input, init);
  };
  const consoleLog = console.log;
  console.log = (...args) => {
    counts.log++;
    counts.logChars += String(args[0]).length;
    return consoleLog.apply(console, args);
  };
  // runSQL calls db.prepare(query).bind(...args), then run() or raw().
  const db = env.DB;
  const dbProxy = db && {
    prepare(query) {
      return {
        bind(...args) {
          const stmt = db.prepare(query).bind(...args);
          return {
            async run() {
              const r = await stmt.run();
              counts.sql.push({ query, rows: 0 });
              return r;
            },
            async raw(opts) {
              const r = await stmt.raw(opts);
              counts.sql.push({ query, rows: Math.max(0, r.length - (opts && opts.columnNames ? 1 : 0)) });
              return r;
            },
          };
        },
      };
    },
  };
  const wrapped = { KV: kvProxy, DB: dbProxy };
  return {
    counts,
    env: new Proxy(env, { get: (t, p) => (p in wrapped ? wrapped[p] : Reflect.get(t, p, t)) }),
    stop() {
      globalThis.fetch = fetch;
      console.log = consoleLog;
    },
  };
}

// track wraps an event's ctx so the pool sees its waitUntil tasks;
// settled() resolves once all of them have, however many were added
// meanwhile.
function track(ctx) {
  const pending = [];
  const wrapped = {
    waitUntil(p) {
      pending.push(Promise.resolve(p).then(() => {}, () => {}));
      ctx.waitUntil(p);
    },
    passThroughOnException() {
      if (ctx.passThroughOnException) ctx.passThroughOnException();
    },
  };
  return {
    ctx: wrapped,
    async settled() {
      while (pending.length > 0) {
        await Promise.all(pending.splice(0));
      }
    },
  };
}

// The host operations Go calls (worker/jshost, whose Op constants name them
// by these indexes): each reads its arguments with a Reader over the bytes
// Go passed, in the order jshost documents, and resolves to the bytes of
// its answer. The instance's binding object is not involved: a binding is
// named, and looked up in the env of the event that calls.
const EVENT_IDS = 2 ** 31; // the first event id; jshost's call ids stay below
const MAX_FETCH_BODY = 4 << 20; // jsfetch.MaxBody: an answer is read whole

function binding(env, name) {
  const b = env && env[name];
  if (b === undefined || b === null) throw new Error(`no such binding: ${name}`);
  return b;
}

const OPS = [
  // nop: a round trip with no I/O, what one costs by itself (TestHostCalls).
  async () => new Uint8Array(0),
  // kvGet
  async (env, r) => {
    const ns = binding(env, r.text());
    const v = await ns.get(r.text(), { type: "arrayBuffer" });
    const w = new Writer();
    w.u8(v === null || v === undefined ? 0 : 1);
    if (v) w.raw(new Uint8Array(v));
    return w.done();
  },
  // kvPut
  async (env, r) => {
    const ns = binding(env, r.text());
    const key = r.text();
    const value = r.bytes();
    const ttl = r.f64();
    await ns.put(key, value.slice(), ttl > 0 ? { expirationTtl: ttl } : {});
    return new Uint8Array(0);
  },
  // kvDelete
  async (env, r) => {
    const ns = binding(env, r.text());
    await ns.delete(r.text());
    return new Uint8Array(0);
  },
  // kvList: whether the list is complete, its cursor, then per key its
  // name (u32 length, UTF-8) and its expiration (f64 Unix seconds, 0 for
  // none): worker/cfkv's listwire.go. Bytes, not JSON: Go decoded the JSON
  // page with reflection.
  async (env, r) => {
    const ns = binding(env, r.text());
    const prefix = r.text();
    const cursor = r.text();
    const limit = r.f64();
    const res = await ns.list(cursor ? { prefix, cursor, limit } : { prefix, limit });
    const w = new Writer();
    w.u8(res.list_complete ? 1 : 0);
    w.text(res.cursor || "");
    for (const k of res.keys) {
      w.text(k.name);
      w.f64(k.expiration || 0);
    }
    return w.done();
  },
  // sql: one statement on a D1 database, its arguments and its result in
  // worker/d1's bytes (wire.go), raw() for rows or run() for a count.
  async (env, r) => {
    const db = binding(env, r.text());
    const query = r.text();
    const args = r.bytes();
    const rows = r.u8() !== 0;
    return runSQL(db, query, args, rows);
  },
  // fetch: headers as "name\nvalue\n…"; answers status, content type and
  // the whole body.
  async (env, r) => {
    const url = r.text();
    const method = r.text();
    const h = headersOf(r.text());
    const hasBody = r.u8() !== 0;
    const body = r.bytes();
    const init = { method, headers: h, redirect: "follow" };
    if (hasBody) init.body = body.slice();
    const res = await globalThis.fetch(url, init);
    const data = new Uint8Array(await res.arrayBuffer());
    if (data.length > MAX_FETCH_BODY) throw new Error(`answer of ${data.length} bytes, over ${MAX_FETCH_BODY}`);
    const w = new Writer();
    w.f64(res.status);
    w.text(res.headers.get("content-type") || "");
    w.raw(data);
    return w.done();
  },
  // kvGetMany: the gets at once, at most `limit` in flight; per key
  // whether it was found and its value (worker/cfkv GetMany).
  async (env, r) => {
    const ns = binding(env, r.text());
    const limit = r.f64();
    const keys = texts(r);
    const values = await atOnce(keys, limit, (key) =>
      ns.get(key, { type: "arrayBuffer" }).catch((e) => {
        throw new Error(`get ${JSON.stringify(key.slice(0, 40))}: ${message(e)}`);
      }),
    );
    const w = new Writer();
    for (const v of values) {
      const found = v !== null && v !== undefined;
      w.u8(found ? 1 : 0);
      w.bytes(found ? new Uint8Array(v) : EMPTY);
    }
    return w.done();
  },
  // kvListMany: each prefix listed to its last page (at most `pages` of
  // 1000 keys), at most `limit` prefixes at once; per prefix the count of
  // its keys and their names (worker/cfkv ListMany).
  async (env, r) => {
    const ns = binding(env, r.text());
    const limit = r.f64();
    const pages = r.f64();
    const prefixes = texts(r);
    const lists = await atOnce(prefixes, limit, async (prefix) => {
      const names = [];
      let cursor = "";
      for (let i = 0; i < pages; i++) {
        let res;
        try {
          res = await ns.list(cursor ? { prefix, cursor, limit: 1000 } : { prefix, limit: 1000 });
        } catch (e) {
          throw new Error(`list ${JSON.stringify(prefix.slice(0, 40))}: ${message(e)}`);
        }
        for (const k of res.keys) names.push(k.name);
        if (res.list_complete || !res.cursor) break;
        cursor = res.cursor;
      }
      return names;
    });
    const w = new Writer();
    for (const names of lists) {
      w.f64(names.length);
      for (const name of names) w.text(name);
    }
    return w.done();
  },
];

const EMPTY = new Uint8Array(0);

// headersOf is the Headers of Go's "name\nvalue\n…" text (jshost's
// OpFetch, the bridge's answer).
function headersOf(text) {
  const hs = text.split("\n");
  const h = new Headers();
  for (let i = 0; i + 1 < hs.length; i += 2) h.append(hs[i], hs[i + 1]);
  return h;
}

function message(e) {
  return String((e && e.message) || e);
}

// texts reads a count and that many texts.
function texts(r) {
  const n = r.f64();
  const out = [];
  for (let i = 0; i < n; i++) out.push(r.text());
  return out;
}

// atOnce runs f on every item, at most limit at a time, and resolves to
// their results in order; like kv.GetMany's fallback it runs every item
// even after one fails, and then rejects with the first failure.
async function atOnce(items, limit, f) {
  const out = new Array(items.length);
  let next = 0;
  let failed = null;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        out[i] = await f(items[i]);
      } catch (e) {
        if (failed === null) failed = e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, run));
  if (failed !== null) throw failed;
  return out;
}

// Reader reads the fields Go's jshost.Writer wrote (a copy: the memory
// behind Go's slice is Go's again once the import returns).
class Reader {
  constructor(b) {
    this.b = b;
    this.v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    this.o = 0;
  }
  u8() {
    return this.b[this.o++];
  }
  f64() {
    const x = this.v.getFloat64(this.o, true);
    this.o += 8;
    return x;
  }
  bytes() {
    const n = this.v.getUint32(this.o, true);
    this.o += 4;
    const b = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return b;
  }
  text() {
    return utf8.decode(this.bytes());
  }
}

// runSQL runs one statement on D1. Its arguments and result are in the
// bytes of worker/d1 (wire.go): each value a class byte (0 null, 1 int as
// int64, 2 real as float64, 3 text and 4 blob as a uint32 length and the
// bytes), little-endian; the result is the changed-row count (float64),
// the column names, the row count and the rows. Bytes instead of JSON: no
// JSON.parse or stringify here, no base64 for blobs, and no reflection on
// the Go side.
async function runSQL(db, query, args, rows) {
  const stmt = db.prepare(query).bind(...decodeArgs(args));
  const w = new Writer();
  if (!rows) {
    const r = await stmt.run();
    w.f64((r.meta && r.meta.changes) || 0);
    w.u32(0);
    w.u32(0);
    return w.done();
  }
  const [columns, ...all] = await stmt.raw({ columnNames: true });
  w.f64(0);
  w.u32(columns ? columns.length : 0);
  for (const c of columns || []) w.text(c);
  w.u32(all.length);
  for (const row of all) for (const x of row) w.value(x);
  return w.done();
}

const utf8 = new TextDecoder();
const toUTF8 = new TextEncoder();

function decodeArgs(b) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = [];
  for (let o = 0; o < b.length; ) {
    const c = b[o++];
    switch (c) {
      case 0:
        out.push(null);
        break;
      case 1:
        out.push(Number(v.getBigInt64(o, true)));
        o += 8;
        break;
      case 2:
        out.push(v.getFloat64(o, true));
        o += 8;
        break;
      case 3:
      case 4: {
        const n = v.getUint32(o, true);
        o += 4;
        out.push(c === 3 ? utf8.decode(b.subarray(o, o + n)) : b.slice(o, o + n).buffer);
        o += n;
        break;
      }
      default:
        throw new Error(`sql value of class ${c}`);
    }
  }
  return out;
}

// Writer builds a result in a buffer that grows as needed.
class Writer {
  constructor() {
    this.b = new Uint8Array(256);
    this.v = new DataView(this.b.buffer);
    this.n = 0;
  }
  room(k) {
    if (this.n + k <= this.b.length) return;
    const b = new Uint8Array(Math.max(this.b.length * 2, this.n + k));
    b.set(this.b.subarray(0, this.n));
    this.b = b;
    this.v = new DataView(b.buffer);
  }
  u8(x) {
    this.room(1);
    this.b[this.n++] = x;
  }
  u32(x) {
    this.room(4);
    this.v.setUint32(this.n, x, true);
    this.n += 4;
  }
  f64(x) {
    this.room(8);
    this.v.setFloat64(this.n, x, true);
    this.n += 8;
  }
  bytes(a) {
    this.u32(a.length);
    this.room(a.length);
    this.b.set(a, this.n);
    this.n += a.length;
  }
  raw(a) {
    this.room(a.length);
    this.b.set(a, this.n);
    this.n += a.length;
  }
  text(s) {
    // at most 3 bytes of UTF-8 per UTF-16 unit
    this.room(4 + 3 * s.length);
    const { written } = toUTF8.encodeInto(s, this.b.subarray(this.n + 4));
    this.v.setUint32(this.n, written, true);
    this.n += 4 + written;
  }
  value(x) {
    if (x === null || x === undefined) return this.u8(0);
    if (typeof x === "number") {
      if (Number.isInteger(x)) {
        this.u8(1);
        this.room(8);
        this.v.setBigInt64(this.n, BigInt(x), true);
        this.n += 8;
      } else {
        this.u8(2);
        this.f64(x);
      }
      return;
    }
    if (typeof x === "string") {
      this.u8(3);
      return this.text(x);
    }
    this.u8(4);
    // D1 gives blobs as arrays of numbers
    this.bytes(x instanceof ArrayBuffer ? new Uint8Array(x) : Uint8Array.from(x));
  }
  done() {
    return this.b.subarray(0, this.n);
  }
}

// Instance is one Go instance and its runtime context.
class Instance {
  constructor(pool) {
    this.pool = pool;
    this.id = nextInstanceID++;
    this.uses = 0;
    this.dead = false;
    this.leased = false;
    this.calls = new Map();
    // An event's id and a host call's share the staged map: events count
    // from 2^31, Go's calls (jshost) below it, so that one never takes the
    // other's bytes.
    this.nextCall = EVENT_IDS;
    this.timers = new Map(); // Go's pending timeout events: id -> {due, fire}
    this.context = { env: undefined, ctx: undefined, binding: {} };
    this.binding = this.context.binding;
    this.staged = new Map(); // bytes waiting for Go's take, by call or event id
  }

  async start(env) {
    this.context.env = env;
    this.binding.envChanged = true;
    const go = new Go();
    this.go = go;
    this.patch(go);
    let ready;
    const readyPromise = new Promise((resolve, reject) => {
      ready = resolve;
      this.failStart = reject;
    });
    this.instance = new WebAssembly.Instance(this.pool.mod, { ...go.importObject, workers: { ready: () => ready() }, paylastic: this.imports() });
    this.exports = this.instance.exports;
    go.run(this.instance, this.context).catch((e) => this.crash(e));
    await readyPromise;
    this.failStart = null;
  }

  // patch takes over the Go runtime's timeout events (to re-arm them in
  // later events), its exit and its resume (to see it die).
  patch(go) {
    const gojs = go.importObject.gojs;
    const inst = this;
    gojs["runtime.scheduleTimeoutEvent"] = (sp) => {
      sp >>>= 0;
      const id = go._nextCallbackTimeoutID;
      go._nextCallbackTimeoutID++;
      const delay = Number(go.mem.getBigInt64(sp + 8, true));
      const fire = () => {
        go._resume();
        while (go._scheduledTimeouts.has(id)) {
          // as wasm_exec.js does: Go failed to register the event, try again
          console.warn("scheduleTimeoutEvent: missed timeout event");
          go._resume();
        }
      };
      go._scheduledTimeouts.set(id, setTimeout(fire, delay));
      inst.timers.set(id, { due: Date.now() + delay, fire });
      go.mem.setInt32(sp + 16, id, true);
    };
    gojs["runtime.clearTimeoutEvent"] = (sp) => {
      sp >>>= 0;
      const id = go.mem.getInt32(sp + 8, true);
      clearTimeout(go._scheduledTimeouts.get(id));
      go._scheduledTimeouts.delete(id);
      inst.timers.delete(id);
    };
    go.exit = (code) => inst.crash(new Error("Go program exited with code " + code));
    const resume = go._resume.bind(go);
    go._resume = () => {
      try {
        resume();
      } catch (e) {
        inst.crash(e);
        throw e;
      }
    };
  }

  // imports is the "paylastic" import module (worker/jshost, worker/bridge.go):
  // Go passes a pointer and a length into its linear memory, read or
  // written here before the import returns.
  imports() {
    const mem = (p, n) => new Uint8Array(this.exports.mem.buffer, p >>> 0, n >>> 0);
    return {
      // call(id, op, ptr, len): start host operation op; its answer is
      // staged and Go told with paylastic_settled.
      call: (id, op, p, n) => {
        id >>>= 0;
        const args = new Reader(mem(p, n).slice());
        const f = OPS[op];
        let done;
        try {
          done = f ? f(this.context.env, args) : Promise.reject(new Error(`unknown host operation ${op}`));
        } catch (e) {
          done = Promise.reject(e);
        }
        done.then(
          (b) => this.settle(id, 1, b),
          (e) => this.settle(id, 0, toUTF8.encode(String((e && e.message) || e || "rejected"))),
        );
      },
      // take(id, ptr): copy the bytes staged for id into Go's buffer, which
      // is as long as Go was told.
      take: (id, p) => {
        id >>>= 0;
        const b = this.staged.get(id);
        this.staged.delete(id);
        if (b && b.length > 0) mem(p, b.length).set(b);
      },
      // done(id, ptr, len): an event's answer (bridge.go).
      done: (id, p, n) => {
        id >>>= 0;
        const c = this.calls.get(id);
        if (!c) return;
        this.calls.delete(id);
        c.resolve(new Reader(mem(p, n).slice()));
      },
    };
  }

  // settle stages a host call's answer and resumes Go, whose goroutine
  // waiting for it takes it. Nothing is staged for a dead instance.
  settle(id, ok, b) {
    if (this.dead) return;
    this.staged.set(id, b);
    this.enter(() => this.exports.paylastic_settled(id, ok, b.length));
  }

  // enter calls one of Go's exports and then lets the runtime run what it
  // woke; a trap or an exit there is the instance's crash.
  enter(f) {
    try {
      f();
    } catch (e) {
      this.crash(e);
      return;
    }
    if (this.dead || this.go.exited) return;
    try {
      this.go._resume();
    } catch {
      // the patched _resume has marked the instance crashed
    }
  }

  // bind gives the instance the event's env and ctx, and re-arms the timer
  // Go is waiting for in this event's I/O context.
  bind(env, ctx) {
    this.uses++;
    // Go reads its configuration from env again only when this is not the
    // object it saw last (workerd hands an isolate the same env object).
    this.binding.envChanged = this.context.env !== env;
    this.context.env = env;
    this.context.ctx = ctx;
    const go = this.go;
    const now = Date.now();
    for (const [id, t] of this.timers) {
      clearTimeout(go._scheduledTimeouts.get(id));
      go._scheduledTimeouts.set(id, setTimeout(t.fire, Math.max(0, t.due - now)));
    }
  }

  memory() {
    return this.instance ? this.instance.exports.mem.buffer.byteLength : 0;
  }

  call(start) {
    if (this.dead) return Promise.reject(new Error("instance is dead"));
    return new Promise((resolve, reject) => {
      const id = this.nextCall++;
      this.calls.set(id, { resolve, reject });
      start(id);
    });
  }

  async serve(req) {
    const hasBody = req.body !== null && req.method !== "GET" && req.method !== "HEAD";
    const body = hasBody ? new Uint8Array(await req.arrayBuffer()) : null;
    let headers = "";
    for (const [k, v] of req.headers) headers += k + "\n" + v + "\n";
    const w = new Writer();
    w.text(req.method);
    w.text(req.url);
    w.text(headers);
    w.u8(body ? 1 : 0);
    w.bytes(body || new Uint8Array(0));
    const b = w.done();
    const r = await this.call((id) => {
      this.staged.set(id, b);
      this.enter(() => this.exports.paylastic_serve(id, b.length));
    });
    const status = r.f64();
    const h = headersOf(r.text());
    const answered = r.u8() !== 0;
    const answer = r.bytes();
    return new Response(answered ? answer : null, { status, headers: h });
  }

  async scheduled(event) {
    await this.call((id) => this.enter(() => this.exports.paylastic_scheduled(id, event.scheduledTime)));
  }

  // crash marks the instance dead and fails what it was serving.
  crash(err) {
    if (this.dead && this.calls.size === 0) return;
    const first = !this.dead;
    this.dead = true;
    for (const c of this.calls.values()) c.reject(err);
    this.calls.clear();
    if (this.failStart) this.failStart(err);
    if (first) {
      this.pool.stats.crashed++;
      log("ERROR", "pool: instance crashed", { instance: this.id, uses: this.uses, err: String(err && err.message || err), live: this.pool.live.size, ...this.pool.stats });
      if (!this.leased) this.pool.drop(this);
    }
  }
}
