// Package bench measures the Worker in workerd (make worker-bench): the
// bundle size, and the CPU time workerd spends per request on /healthz, the
// payment page and a Telegram amount update, next to a bare syumai
// hello-world Worker (./hello) measured in the same run. The measurement is
// bench_test.go, behind the workerbench build tag.
package bench
