// The JavaScript twin of make worker-bench: a plain JavaScript Worker that
// makes the KV and fetch calls it is told to, and nothing else, so that
// workerd's CPU for one of the product's routes can be set against the CPU
// of its I/O alone (wrangler dev runs the KV simulator inside the Worker's
// own workerd, which production does not charge to the Worker).
//
//   GET /hello                      the plain JavaScript hello Worker
//   GET /io?get=3&put=1&list=0&delete=0&fetch=1&bytes=23000
//                                   that many KV calls, then fetch calls
//                                   POSTing bytes in all to OUTBOUND
export default {
  async fetch(req, env) {
    const u = new URL(req.url);
    if (u.pathname === "/hello") return new Response("hello");
    const n = (k) => Number(u.searchParams.get(k) || 0);
    if (!globalThis.seeded) {
      for (let i = 0; i < 8; i++) await env.KV.put("twin/" + i, new Uint8Array(400));
      globalThis.seeded = true;
    }
    for (let i = 0; i < n("get"); i++) await env.KV.get("twin/" + (i % 8), { type: "arrayBuffer" });
    for (let i = 0; i < n("list"); i++) await env.KV.list({ prefix: "twin/", limit: 1000 });
    for (let i = 0; i < n("put"); i++) await env.KV.put("twin/p" + i, new Uint8Array(400));
    for (let i = 0; i < n("delete"); i++) await env.KV.delete("twin/d" + i);
    const calls = n("fetch");
    for (let i = 0; i < calls; i++) {
      const r = await fetch(env.OUTBOUND + "/sink", { method: "POST", body: new Uint8Array(Math.floor(n("bytes") / calls)) });
      await r.arrayBuffer();
    }
    return new Response("ok");
  },
};
