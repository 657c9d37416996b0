// Package bench measures the Worker in workerd (make worker-bench): the
// bundle size, the cold start, and the workerd CPU per request of every
// route next to its JavaScript twin (./twin: the same KV, D1 and fetch
// calls, counted by the pool), a bare syumai hello-world Worker (./hello)
// and a JavaScript hello, all in the same run; and an instance's memory.
// TestProfile writes a V8 CPU profile of every route (./profile). Both are
// behind the workerbench build tag.
package bench
