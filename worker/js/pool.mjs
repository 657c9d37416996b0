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
//     events it was serving answer 500 and the next gets a new instance.
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

  // configure applies the Worker's vars to the pool's limits: POOL_MAX_INSTANCES.
  configure(env) {
    const n = Number(env && env.POOL_MAX_INSTANCES);
    if (Number.isInteger(n) && n > 0) {
      this.opts.maxLive = n;
      this.opts.maxIdle = Math.min(this.opts.maxIdle, n);
    }
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
    const io = env.BENCH_IO === "1" ? countIO(env) : null;
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

// countIO wraps an event's env and the global fetch to count the KV calls
// and the outbound requests (with their body bytes) of one event.
function countIO(env) {
  const counts = { get: 0, put: 0, list: 0, delete: 0, fetch: 0, bytes: 0 };
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
  return {
    counts,
    env: new Proxy(env, { get: (t, p) => (p === "KV" ? kvProxy : Reflect.get(t, p, t)) }),
    stop() {
      globalThis.fetch = fetch;
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

// host is what the Go side's package jshost calls: Workers KV and fetch,
// awaited here, each result handed back through binding.settled(id, err,
// ...values) — one callback made once per instance, instead of a pair of
// Go callbacks and a handful of JavaScript references per call.
function host(binding) {
  const settle = (id, p) =>
    p.then(
      (vals) => binding.settled(id, null, ...vals),
      (e) => binding.settled(id, String((e && e.message) || e || "rejected")),
    );
  return {
    kvGet(ns, key, id) {
      settle(id, ns.get(key, { type: "arrayBuffer" }).then((v) => [v === null || v === undefined ? null : new Uint8Array(v)]));
    },
    kvPut(ns, key, value, ttl, id) {
      settle(id, ns.put(key, value, ttl > 0 ? { expirationTtl: ttl } : {}).then(() => []));
    },
    kvDelete(ns, key, id) {
      settle(id, ns.delete(key).then(() => []));
    },
    // kvList answers the page as one JSON string.
    kvList(ns, prefix, cursor, limit, id) {
      const opts = cursor ? { prefix, cursor, limit } : { prefix, limit };
      settle(id, ns.list(opts).then((r) => [JSON.stringify({
        complete: !!r.list_complete,
        cursor: r.cursor || "",
        names: r.keys.map((k) => k.name),
        exps: r.keys.map((k) => k.expiration || 0),
      })]));
    },
    // sql runs one statement on a D1 database: the request and the result
    // in package sqlwire's JSON (worker/d1).
    sql(db, request, id) {
      settle(id, runSQL(db, request).then((r) => [r]));
    },
    // fetch: headers as "name\nvalue\n…"; answers status, content type
    // and the whole body.
    fetch(url, method, headers, body, id) {
      const h = new Headers();
      const hs = headers ? headers.split("\n") : [];
      for (let i = 0; i + 1 < hs.length; i += 2) h.append(hs[i], hs[i + 1]);
      const init = { method, headers: h, redirect: "follow" };
      if (body !== null) init.body = body;
      settle(id, globalThis.fetch(url, init).then(async (r) => [r.status, r.headers.get("content-type") || "", new Uint8Array(await r.arrayBuffer())]));
    },
  };
}

// runSQL runs one sqlwire request ({query, args, rows}) on D1 and answers
// its result ({columns, rows, changes}) as JSON. Values carry their class
// (t: null, int, real, text, blob; a blob in base64), so an empty blob is
// not NULL and an integer is not a real.
async function runSQL(db, request) {
  const req = JSON.parse(request);
  const stmt = db.prepare(req.query).bind(...(req.args || []).map(fromWire));
  if (!req.rows) {
    const r = await stmt.run();
    return JSON.stringify({ changes: (r.meta && r.meta.changes) || 0 });
  }
  const [columns, ...rows] = await stmt.raw({ columnNames: true });
  return JSON.stringify({ columns: columns || [], rows: rows.map((row) => row.map(toWire)), changes: 0 });
}

function fromWire(v) {
  switch (v.t) {
    case "null":
      return null;
    case "int":
      return v.i || 0;
    case "real":
      return v.f || 0;
    case "text":
      return v.s || "";
    case "blob": {
      const s = atob(v.b || "");
      const b = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
      return b.buffer;
    }
  }
  throw new Error(`sql value of class ${v.t}`);
}

function toWire(x) {
  if (x === null || x === undefined) return { t: "null" };
  if (typeof x === "number") return Number.isInteger(x) ? { t: "int", i: x } : { t: "real", f: x };
  if (typeof x === "string") return { t: "text", s: x };
  const b = x instanceof ArrayBuffer ? new Uint8Array(x) : Uint8Array.from(x); // D1 gives blobs as arrays of numbers
  let s = "";
  for (let i = 0; i < b.length; i += 0x8000) s += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return { t: "blob", b: btoa(s) };
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
    this.nextCall = 1;
    this.timers = new Map(); // Go's pending timeout events: id -> {due, fire}
    this.context = { env: undefined, ctx: undefined, binding: {} };
    this.binding = this.context.binding;
    this.context.host = host(this.binding);
  }

  async start(env) {
    this.context.env = env;
    this.binding.envChanged = true;
    const go = new Go();
    this.go = go;
    this.patch(go);
    this.binding.done = (id, status, headers, body) => {
      const c = this.calls.get(id);
      if (c) {
        this.calls.delete(id);
        c.resolve({ status, headers, body });
      }
    };
    let ready;
    const readyPromise = new Promise((resolve, reject) => {
      ready = resolve;
      this.failStart = reject;
    });
    this.instance = new WebAssembly.Instance(this.pool.mod, { ...go.importObject, workers: { ready: () => ready() } });
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
    const r = await this.call((id) => this.binding.serve(id, req.method, req.url, headers, body));
    const h = new Headers();
    const hs = r.headers ? r.headers.split("\n") : [];
    for (let i = 0; i + 1 < hs.length; i += 2) h.append(hs[i], hs[i + 1]);
    return new Response(r.body, { status: r.status, headers: h });
  }

  async scheduled(event) {
    await this.call((id) => this.binding.scheduled(id, event.scheduledTime));
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
