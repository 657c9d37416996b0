// Package storebench measures the two candidates for the product's strongly
// consistent store inside workerd (wrangler dev, offline): D1 (package
// sqlcas's statements) and a SQLite-backed Durable Object per key
// (js/check_do.mjs), each from a plain JavaScript Worker (js/worker.mjs)
// and from Go (gobench: worker/d1 and a Durable Object stub client). It
// reports workerd CPU and wall time per operation, the rows each operation
// reads and writes (what the Free plan meters), the glue code each needs,
// and what D1 and syumai's database/sql driver answer for row counts, types
// and errors. Run it with `make store-bench`; the measurement is
// storebench_test.go, behind the storebench build tag, so `make test` does
// not run it.
package storebench
