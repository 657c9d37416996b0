package e2e

import (
	"bytes"
	"io"
	"net/http"
	"testing"
)

// deliver posts body to u as a webhook's sender does, with Content-Type
// application/json and then header's name-value pairs (a pair with an empty
// value is left out: "no signature"), and returns the status. The answer's
// body is read to the end, so that the connection is reused.
func deliver(t testing.TB, u string, body []byte, header ...string) int {
	t.Helper()
	req, err := http.NewRequest("POST", u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", u, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}
