// The JavaScript twin of make worker-bench: a plain JavaScript Worker that
// makes the KV, D1 and fetch calls it is told to, and nothing else, so that
// workerd's CPU for one of the product's routes can be set against the CPU
// of its I/O alone (wrangler dev runs the KV and D1 simulators inside the
// Worker's own workerd, which production does not charge to the Worker).
//
//   GET /hello                      the plain JavaScript hello Worker
//   GET /io?get=3&put=1&list=0&delete=0&fetch=1&bytes=23000&sql=get.1,update.0&log=1&logchars=240
//                                   that many KV calls, then the D1
//                                   statements in order (name.rows: package
//                                   sqlcas's statement, given as the var
//                                   SQL_<NAME>, answering that many rows),
//                                   then fetch calls POSTing bytes in all to
//                                   OUTBOUND, then log console.log lines of
//                                   logchars characters in all (a JSON
//                                   object each, as the product's are)
//
// The product interleaves its calls; the order does not change their cost.
const VALUE = 300; // bytes of a record: a check's state is a few hundred

export default {
  async fetch(req, env) {
    const u = new URL(req.url);
    if (u.pathname === "/hello") return new Response("hello");
    const n = (k) => Number(u.searchParams.get(k) || 0);
    if (!globalThis.seeded) {
      for (let i = 0; i < 8; i++) await env.KV.put("twin/" + i, new Uint8Array(400));
      await seedD1(env);
      globalThis.seeded = true;
    }
    for (let i = 0; i < n("get"); i++) await env.KV.get("twin/" + (i % 8), { type: "arrayBuffer" });
    for (let i = 0; i < n("list"); i++) await env.KV.list({ prefix: "twin/", limit: 1000 });
    for (let i = 0; i < n("put"); i++) await env.KV.put("twin/p" + i, new Uint8Array(400));
    for (let i = 0; i < n("delete"); i++) await env.KV.delete("twin/d" + i);
    const sql = u.searchParams.get("sql");
    for (const s of sql ? sql.split(",") : []) {
      const [name, rows] = s.split(".");
      await statement(env, name, Number(rows));
    }
    const calls = n("fetch");
    for (let i = 0; i < calls; i++) {
      const r = await fetch(env.OUTBOUND + "/sink", { method: "POST", body: new Uint8Array(Math.floor(n("bytes") / calls)) });
      await r.arrayBuffer();
    }
    const lines = n("log");
    for (let i = 0; i < lines; i++) console.log(logLine(Math.floor(n("logchars") / lines)));
    return new Response("ok");
  },
};

// logLine is a JSON log line of about chars characters.
function logLine(chars) {
  const line = { time: new Date().toISOString(), level: "INFO", msg: "twin", pad: "" };
  line.pad = "x".repeat(Math.max(0, chars - JSON.stringify(line).length));
  return JSON.stringify(line);
}

// seedD1 writes 100 live records under twin/s/ (for get, getmany and list)
// and one to update, twin/u, at version 1.
async function seedD1(env) {
  const now = Date.now();
  for (let i = 0; i < 100; i++) {
    await env.DB.prepare(env.SQL_INSERT).bind(key(i), new Uint8Array(VALUE).buffer, now, 0, now).raw();
  }
  await env.DB.prepare(env.SQL_INSERT).bind("twin/u", new Uint8Array(VALUE).buffer, 1, 0, now).raw();
  const [row] = await env.DB.prepare(env.SQL_GET).bind("twin/u", now).raw();
  globalThis.updateVersion = row[1];
  globalThis.inserted = 0;
}

function key(i) {
  return "twin/s/" + String(i).padStart(3, "0");
}

// statement runs sqlcas's statement name as the product does (raw() for
// rows, run() for a count), on records shaped like the product's, answering
// rows rows where the statement reads.
async function statement(env, name, rows) {
  const now = Date.now();
  const value = new Uint8Array(VALUE).buffer;
  const q = env["SQL_" + name.toUpperCase()];
  switch (name) {
    case "get":
      return env.DB.prepare(q).bind(rows > 0 ? key(0) : "twin/none", now).raw({ columnNames: true });
    case "getmany": {
      const keys = Array.from({ length: Math.max(rows, 1) }, (_, i) => (i < rows ? key(i) : "twin/none"));
      return env.DB.prepare(q).bind(JSON.stringify(keys), now).raw({ columnNames: true });
    }
    case "insert": // rows 0: a conflict, on a live record
      return env.DB.prepare(q).bind(rows > 0 ? "twin/i/" + globalThis.inserted++ : key(0), value, now, now + 3600_000, now).raw({ columnNames: true });
    case "update": {
      const r = await env.DB.prepare(q).bind(value, 0, "twin/u", globalThis.updateVersion, now).run();
      if (r.meta && r.meta.changes === 1) globalThis.updateVersion++;
      return r;
    }
    case "list":
      return env.DB.prepare(q).bind("twin/s/", "twin/s0", "", now, Math.max(rows, 1)).raw({ columnNames: true });
    case "purge":
      return env.DB.prepare(q).bind(now).run();
  }
  throw new Error("no such statement " + name);
}
