// CheckDO is the Durable Object candidate of worker/storebench: one object
// per key (a check), holding one record in its SQLite storage, with the same
// compare-and-set as package sqlcas. syumai/workers can call a Durable
// Object's stub but not define its class, so the class is JavaScript; the
// Worker (Go or JS) reaches it with stub.fetch:
//
//   GET ?now=MS                                   200 body=value, X-Version, X-Expires | 404
//   PUT ?version=V&expires=MS&now=MS body=value   200 X-Version | 409
//
// Every answer carries X-Rows-Read and X-Rows-Written (the SQL cursor's
// counts), what the Free plan meters. An expiring record sets an alarm that
// deletes it: a Durable Object has no global query for a cron pass to purge.
export class CheckDO {
  constructor(ctx) {
    this.ctx = ctx;
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS record (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      value BLOB NOT NULL, version INTEGER NOT NULL, expires INTEGER NOT NULL)`);
  }

  async fetch(req) {
    const q = new URL(req.url).searchParams;
    const now = Number(q.get("now"));
    if (req.method === "GET") {
      const c = this.sql.exec("SELECT value, version, expires FROM record WHERE expires = 0 OR expires > ?", now);
      const row = c.toArray()[0];
      const h = rows(c);
      if (!row) return new Response(null, { status: 404, headers: h });
      h["x-version"] = String(row.version);
      h["x-expires"] = String(row.expires);
      return new Response(row.value, { headers: h });
    }
    const value = new Uint8Array(await req.arrayBuffer());
    const version = Number(q.get("version"));
    const expires = Number(q.get("expires"));
    const c = version === 0
      ? this.sql.exec(`INSERT INTO record (id, value, version, expires) VALUES (1, ?, ?, ?)
          ON CONFLICT (id) DO UPDATE SET value = excluded.value, version = max(record.version + 1, excluded.version), expires = excluded.expires
          WHERE record.expires > 0 AND record.expires <= ? RETURNING version`, value, Math.max(now, 1), expires, now)
      : this.sql.exec(`UPDATE record SET value = ?, version = version + 1, expires = ?
          WHERE version = ? AND (expires = 0 OR expires > ?) RETURNING version`, value, expires, version, now);
    const row = c.toArray()[0];
    const h = rows(c);
    if (!row) return new Response(null, { status: 409, headers: h });
    if (expires > 0) {
      await this.ctx.storage.setAlarm(expires);
      h["x-rows-written"] = String(Number(h["x-rows-written"]) + 1); // a setAlarm is billed as a row written
    }
    h["x-version"] = String(row.version);
    return new Response(null, { headers: h });
  }

  async alarm() {
    this.sql.exec("DELETE FROM record WHERE expires > 0 AND expires <= ?", Date.now());
  }
}

function rows(c) {
  return { "x-rows-read": String(c.rowsRead), "x-rows-written": String(c.rowsWritten) };
}
