package sign_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
)

// The vector from github.com/liqpay/sdk-go liqpay_test.go.
const (
	vecPrivKey = "test_priv_key"
	vecJSON    = `{"num":124,"public_key":"test_pub_key","str":"value"}`
	vecData    = "eyJudW0iOjEyNCwicHVibGljX2tleSI6InRlc3RfcHViX2tleSIsInN0ciI6InZhbHVlIn0="
	vecSig     = "9Altos5Ex1c7MX5uoKSrKXFK3mQ="
)

func TestDataAndSignatureVector(t *testing.T) {
	type params struct {
		Num       int    `json:"num"`
		PublicKey string `json:"public_key"`
		Str       string `json:"str"`
	}
	tests := []struct {
		name   string
		params any
	}{
		{"map", map[string]any{"str": "value", "public_key": "test_pub_key", "num": 124}},
		{"struct", params{Num: 124, PublicKey: "test_pub_key", Str: "value"}},
		{"raw json", json.RawMessage(vecJSON)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := sign.Data(tt.params)
			if err != nil {
				t.Fatal(err)
			}
			if data != vecData {
				t.Errorf("Data() = %q, want %q", data, vecData)
			}
			if got := sign.Signature(vecPrivKey, data); got != vecSig {
				t.Errorf("Signature() = %q, want %q", got, vecSig)
			}
		})
	}
}

func TestDataNoHTMLEscapeNoWrap(t *testing.T) {
	long := make([]byte, 300)
	for i := range long {
		long[i] = 'x'
	}
	data, err := sign.Data(map[string]any{"url": "https://shop.example/r?a=1&b=<2>", "d": string(long)})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(data)
	want := `{"d":"` + string(long) + `","url":"https://shop.example/r?a=1&b=<2>"}`
	if string(raw) != want {
		t.Errorf("decoded data = %s, want %s", raw, want)
	}
	for _, c := range data {
		if c == '\n' || c == '\r' {
			t.Fatal("Data() wrapped its output")
		}
	}
	if _, err := sign.Data(func() {}); err == nil {
		t.Error("Data(func) = nil error, want one")
	}
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name               string
		privKey, data, sig string
		want               error
	}{
		{"sdk-go vector", vecPrivKey, vecData, vecSig, nil},
		{"tampered data", vecPrivKey, "e" + vecData[1:len(vecData)-1] + "9", vecSig, sign.ErrBadSignature},
		{"data re-encoded with newline", vecPrivKey, vecData[:40] + "\n" + vecData[40:], vecSig, sign.ErrBadSignature},
		{"wrong private key", "other_priv_key", vecData, vecSig, sign.ErrBadSignature},
		{"empty signature", vecPrivKey, vecData, "", sign.ErrBadSignature},
		{"hex digest instead of raw", vecPrivKey, vecData, "f4096da2ce44c7573b317e6ea0a4ab29714ade64", sign.ErrBadSignature},
		{"truncated signature", vecPrivKey, vecData, vecSig[:20], sign.ErrBadSignature},
		{"empty key and data", "", "", sign.Signature("", ""), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sign.Verify(tt.privKey, tt.data, tt.sig)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyWithOtherHash(t *testing.T) {
	sig := sign.SignatureWith(sha256.New, vecPrivKey, vecData)
	if err := sign.VerifyWith(sha256.New, vecPrivKey, vecData, sig); err != nil {
		t.Errorf("VerifyWith(sha256) = %v, want nil", err)
	}
	if err := sign.Verify(vecPrivKey, vecData, sig); !errors.Is(err, sign.ErrBadSignature) {
		t.Errorf("Verify(sha256 signature) = %v, want ErrBadSignature", err)
	}
}

func TestDecode(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tests := []struct {
		name string
		data string
		want error
	}{
		{"sdk-go vector", vecData, nil},
		{"not base64", "%%%", sign.ErrBadData},
		{"url-safe base64", base64.URLEncoding.EncodeToString([]byte(`{"a":"??>"}`)), sign.ErrBadData},
		{"not json", b64("status=success"), sign.ErrBadData},
		{"trailing value", b64(`{"a":1} {"b":2}`), sign.ErrBadData},
		{"array into map", b64(`[1,2]`), sign.ErrBadData},
		{"empty", "", sign.ErrBadData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m map[string]any
			err := sign.Decode(tt.data, &m)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Decode() = %v, want %v", err, tt.want)
			}
		})
	}

	var m map[string]any
	if err := sign.Decode(b64(`{"amount":42.10,"status":"success"}`), &m); err != nil {
		t.Fatal(err)
	}
	if got, want := m["amount"], json.Number("42.10"); got != want {
		t.Errorf("amount = %#v, want %#v", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(vecData)
	f.Add("")
	f.Fuzz(func(t *testing.T, data string) {
		var v any
		if err := sign.Decode(data, &v); err != nil && !errors.Is(err, sign.ErrBadData) {
			t.Fatalf("Decode() = %v, want nil or ErrBadData", err)
		}
	})
}
