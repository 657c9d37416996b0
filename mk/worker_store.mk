# The consistent store's D1 database (core/cas/sqlcas, wrangler.toml
# [[d1_databases]] binding "DB"): its schema in wrangler dev's local state.
#
#   make dev-db       apply core/cas/sqlcas/schema.sql to the local D1 (make dev does first)
#   make store-bench  D1 against a Durable Object per check, in wrangler dev (worker/storebench)

CAS_SCHEMA := core/cas/sqlcas/schema.sql

.PHONY: dev-db store-bench

## dev-db: the cas schema in the local D1 database of wrangler dev (idempotent)
dev-db: $(NODE_STAMP)
	$(WRANGLER) d1 execute DB --local --file $(CAS_SCHEMA)

## store-bench: workerd CPU, wall, rows and glue of D1 and of a Durable Object per check
store-bench: $(NODE_STAMP)
	PAYLASTIC_WORKER_TEST=1 $(GO) test -tags storebench -count=1 -run '^TestStoreBench$$' -v -timeout 30m ./worker/storebench
