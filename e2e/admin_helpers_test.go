package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paylastic/edge/wasm/hosttest"
)

// adminCall calls the admin API of the product at base with the harness's
// admin token and returns the status and the body.
func adminCall(t testing.TB, base, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+hosttest.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// activationCode is the activation code in the admin API's answer to
// POST /admin/merchants; anything but a 201 with a code fails the test.
func activationCode(t testing.TB, status int, body string) string {
	t.Helper()
	var m struct {
		Code string `json:"activation_code"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || status != http.StatusCreated || m.Code == "" {
		t.Fatalf("create merchant: %d %v %s", status, err, body)
	}
	return m.Code
}
