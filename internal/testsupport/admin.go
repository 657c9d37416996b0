package testsupport

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// AdminCall calls the product's admin API at base+path with token (the
// harness's or the test Worker's ADMIN_TOKEN) and a JSON body ("" for none),
// and returns the status and the body. A request that fails fails the test.
func AdminCall(t testing.TB, base, token, method, path, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// AdminServe is AdminCall in process: the request to h, with the
// Authorization header auth ("" for none: "Bearer …" or anything a test
// tries) and a JSON body ("" for none), recorded.
func AdminServe(h http.Handler, method, path, auth, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// ActivationCode is the activation code in the admin API's 201 answer to
// POST /admin/merchants or POST /admin/merchants/{id}/activation-codes,
// with the merchant's id when the answer has one; any other answer fails
// the test.
func ActivationCode(t testing.TB, status int, body string) (code, merchant string) {
	t.Helper()
	var m struct {
		ID   string `json:"id"`
		Code string `json:"activation_code"`
	}
	if err := json.Unmarshal([]byte(body), &m); err != nil || status != http.StatusCreated || m.Code == "" {
		t.Fatalf("activation code: %d %v %s", status, err, body)
	}
	return m.Code, m.ID
}
