package e2e

import (
	"testing"

	"github.com/paylastic/edge/internal/testsupport"
	"github.com/paylastic/edge/wasm/hosttest"
)

// adminCall calls the admin API of the product at base with the harness's
// admin token and returns the status and the body.
func adminCall(t testing.TB, base, method, path, body string) (int, string) {
	t.Helper()
	return testsupport.AdminCall(t, base, hosttest.AdminToken, method, path, body)
}

// activationCode is the activation code in the admin API's answer to
// POST /admin/merchants; anything but a 201 with a code fails the test.
func activationCode(t testing.TB, status int, body string) string {
	t.Helper()
	code, _ := testsupport.ActivationCode(t, status, body)
	return code
}
