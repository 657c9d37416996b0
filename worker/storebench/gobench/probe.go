//go:build js && wasm

package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"

	cfd1 "github.com/syumai/workers/cloudflare/d1"
)

// The driver checks' statements; keep in step with ../js/worker.mjs.
var (
	probeSetup = []string{
		"CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, v TEXT NOT NULL)",
		"DELETE FROM probe",
		"INSERT INTO probe (id, v) VALUES (1, 'a'), (2, 'b'), (3, 'c')",
	}
	probeChanges = [][2]string{ // in this order
		{"update_three", "UPDATE probe SET v = v || 'x' WHERE id <= 3"},
		{"update_none", "UPDATE probe SET v = 'y' WHERE id = 99"},
		{"upsert_kept", "INSERT INTO probe (id, v) VALUES (1, 'z') ON CONFLICT (id) DO UPDATE SET v = excluded.v WHERE probe.v = 'never'"},
		{"delete_two", "DELETE FROM probe WHERE id >= 2"},
	}
	probeValues = "SELECT NULL, 42, 9007199254740993, 1.5, 2.0, 'text', '', x'00ff80', x''"
	probeErrors = map[string]string{
		"syntax":   "SELEC 1",
		"not_null": "INSERT INTO probe (id, v) VALUES (7, NULL)",
		"no_table": "SELECT * FROM nowhere",
	}
)

// probe answers what database/sql over syumai's driver reports for the
// statements whose D1 answers ../js/worker.mjs reports: RowsAffected, the
// Go type and value of each column, the error of each failing statement,
// and whether a transaction can begin.
func probe(w http.ResponseWriter) {
	out := map[string]any{}
	fail := func(err error) { http.Error(w, err.Error(), http.StatusInternalServerError) }
	c, err := cfd1.OpenConnector("DB")
	if err != nil {
		fail(err)
		return
	}
	db := sql.OpenDB(c)
	for _, s := range probeSetup {
		if _, err := db.Exec(s); err != nil {
			fail(err)
			return
		}
	}
	changes := map[string]any{}
	for _, c := range probeChanges {
		name, s := c[0], c[1]
		res, err := db.Exec(s)
		if err != nil {
			fail(err)
			return
		}
		n, err := res.RowsAffected()
		changes[name] = fmt.Sprint(n, " ", err)
	}
	out["changes"] = changes
	vals := make([]any, 9)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := db.QueryRow(probeValues).Scan(ptrs...); err != nil {
		fail(err)
		return
	}
	var typed []string
	for _, v := range vals {
		typed = append(typed, fmt.Sprintf("%T %#v", v, v))
	}
	out["values"] = typed
	errs := map[string]string{}
	for name, s := range probeErrors {
		_, err := db.Exec(s)
		errs[name] = fmt.Sprint(err)
	}
	out["errors"] = errs
	_, err = db.Begin()
	out["begin"] = fmt.Sprint(err)
	var none string
	out["no_rows"] = fmt.Sprint(db.QueryRow("SELECT v FROM probe WHERE id = 99").Scan(&none) == sql.ErrNoRows)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
