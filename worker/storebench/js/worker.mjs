// The plain JavaScript Worker of worker/storebench: the same operations as
// the Go bench Worker (../gobench), against D1 (package sqlcas's statements,
// passed in as the vars SQL_INSERT, SQL_UPDATE and SQL_GET) and against one
// CheckDO per key. Each request runs n operations and answers
// {"version", "rows_read", "rows_written"}; /d1/probe answers what D1 itself
// reports for the driver checks.
export { CheckDO } from "./check_do.mjs";

export default {
  async fetch(req, env) {
    const u = new URL(req.url);
    const q = u.searchParams;
    const n = Number(q.get("n") || 1);
    const value = new Uint8Array(Number(q.get("size") || 0)).fill(120);
    const exp = Number(q.get("exp") || 0);
    const key = q.get("key") || "";
    let version = Number(q.get("v") || 0);
    const tot = { version: 0, rows_read: 0, rows_written: 0 };
    const meter = (m) => { tot.rows_read += m.rows_read; tot.rows_written += m.rows_written; };
    const stub = (k) => env.CHECKS.get(env.CHECKS.idFromName(k));
    const doMeter = (r) => { tot.rows_read += Number(r.headers.get("x-rows-read")); tot.rows_written += Number(r.headers.get("x-rows-written")); };
    switch (u.pathname) {
      case "/noop":
      case "/healthz":
        return new Response("ok");
      case "/d1/insert":
        for (let i = 0; i < n; i++) {
          const now = Date.now();
          const r = await env.DB.prepare(env.SQL_INSERT).bind(key + i, value, Math.max(now, 1), exp, now).all();
          if (r.results.length !== 1) return new Response("insert conflict", { status: 409 });
          tot.version = r.results[0].version;
          meter(r.meta);
        }
        return Response.json(tot);
      case "/d1/update":
        for (let i = 0; i < n; i++) {
          const r = await env.DB.prepare(env.SQL_UPDATE).bind(value, exp, key, version, Date.now()).run();
          if (r.meta.changes !== 1) return new Response("update conflict", { status: 409 });
          version++;
          meter(r.meta);
        }
        tot.version = version;
        return Response.json(tot);
      case "/d1/read":
        for (let i = 0; i < n; i++) {
          const r = await env.DB.prepare(env.SQL_GET).bind(key, Date.now()).all();
          if (r.results.length !== 1) return new Response("not found", { status: 404 });
          meter(r.meta);
        }
        return Response.json(tot);
      case "/do/insert":
        for (let i = 0; i < n; i++) {
          const r = await stub(key + i).fetch(`http://do/?version=0&expires=${exp}&now=${Date.now()}`, { method: "PUT", body: value });
          if (r.status !== 200) return new Response("insert conflict", { status: 409 });
          tot.version = Number(r.headers.get("x-version"));
          doMeter(r);
        }
        return Response.json(tot);
      case "/do/update":
        for (let i = 0; i < n; i++) {
          const r = await stub(key).fetch(`http://do/?version=${version}&expires=${exp}&now=${Date.now()}`, { method: "PUT", body: value });
          if (r.status !== 200) return new Response("update conflict", { status: 409 });
          version = Number(r.headers.get("x-version"));
          doMeter(r);
        }
        tot.version = version;
        return Response.json(tot);
      case "/do/read":
        for (let i = 0; i < n; i++) {
          const r = await stub(key).fetch(`http://do/?now=${Date.now()}`);
          if (r.status !== 200) return new Response("not found", { status: 404 });
          await r.arrayBuffer();
          doMeter(r);
        }
        return Response.json(tot);
      case "/d1/probe":
        return Response.json(await probe(env.DB));
    }
    return new Response("no such route", { status: 404 });
  },
};

// probe runs the driver checks' statements (see ../gobench/probe.go) and
// reports D1's own answers: meta.changes, the raw values, the errors.
async function probe(db) {
  const out = { changes: {}, values: null, errors: {} };
  for (const s of PROBE_SETUP) await db.prepare(s).run();
  for (const [name, s] of Object.entries(PROBE_CHANGES)) out.changes[name] = (await db.prepare(s).run()).meta.changes;
  const raw = await db.prepare(PROBE_VALUES).raw();
  out.values = raw[0].map((v) => (Array.isArray(v) ? { array_of_numbers: v } : v));
  for (const [name, s] of Object.entries(PROBE_ERRORS)) {
    try { await db.prepare(s).run(); out.errors[name] = "no error"; } catch (e) { out.errors[name] = String(e); }
  }
  return out;
}

// Keep in step with ../gobench/probe.go.
const PROBE_SETUP = [
  "CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
  "DELETE FROM probe",
  "INSERT INTO probe (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
];
const PROBE_CHANGES = {
  update_three: "UPDATE probe SET v = v || 'x' WHERE id <= 3",
  update_none: "UPDATE probe SET v = 'y' WHERE id = 99",
  upsert_kept: "INSERT INTO probe (id, v) VALUES (1, 'z') ON CONFLICT (id) DO UPDATE SET v = excluded.v WHERE probe.v = 'never'",
  delete_two: "DELETE FROM probe WHERE id >= 2",
};
const PROBE_VALUES = "SELECT NULL, 42, 9007199254740993, 1.5, 2.0, 'text', '', x'00ff80', x''";
const PROBE_ERRORS = {
  syntax: "SELEC 1",
  not_null: "INSERT INTO probe (id, v) VALUES (7, NULL)",
  no_table: "SELECT * FROM nowhere",
};
