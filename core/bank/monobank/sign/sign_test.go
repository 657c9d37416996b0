package sign_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank/monobank/sign"
)

// The official vector from https://api.monobank.ua/docs/acquiring.html, tag
// "Приклади верифікації підпису webhook". testdata/webhook-body.json is that
// page's webhook body (582 bytes, the un-indented body from the docs' Go
// sample), byte for byte.
const (
	docPubKey = "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUZrd0V3WUhLb1pJemowQ0FRWUlLb1pJemowREFRY0RRZ0FFQUc1LzZ3NnZubGJZb0ZmRHlYWE4vS29CbVVjTgo3NWJSUWg4MFBhaEdldnJoanFCQnI3OXNSS0JSbnpHODFUZVQ5OEFOakU1c0R3RmZ5Znhub0ZJcmZBPT0KLS0tLS1FTkQgUFVCTElDIEtFWS0tLS0tCg=="
	docXSign  = "MEUCIQC/mVKhi8FKoayul2Mim3E2oaIOCNJk5dEXxTqbkeJSOQIgOM0hsW0qcP2H8iXy1aQYpmY0SJWEaWur7nQXlKDCFxA="
	docSHA256 = "b68de0ef3e300b8813f0c39f87feea8519bd2b0628b5c2400b7bd1256f3bf58f"
)

func docBody(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/webhook-body.json")
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != docSHA256 {
		t.Fatalf("testdata/webhook-body.json sha256 = %x, want %s", sum, docSHA256)
	}
	return b
}

func docKey(t *testing.T) *ecdsa.PublicKey {
	t.Helper()
	pub, err := sign.ParsePublicKey(docPubKey)
	if err != nil {
		t.Fatalf("ParsePublicKey(doc key): %v", err)
	}
	return pub
}

func TestVerifyOfficialVector(t *testing.T) {
	body := docBody(t)
	pub := docKey(t)
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}

	// The docs' markdown shows the body indented by two more spaces: those
	// bytes must not verify.
	indented := bytes.ReplaceAll(body, []byte("\n"), []byte("\n  "))
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	compact, _ := json.Marshal(v)
	tampered := bytes.Replace(body, []byte("4200"), []byte("4201"), 1)
	sigDER, _ := base64.StdEncoding.DecodeString(docXSign)

	tests := []struct {
		name  string
		pub   *ecdsa.PublicKey
		body  []byte
		xSign string
		want  error
	}{
		{"official vector", pub, body, docXSign, nil},
		{"surrounding space in header", pub, body, " " + docXSign + " ", nil},
		{"tampered amount", pub, tampered, docXSign, sign.ErrBadSignature},
		{"re-marshalled json", pub, compact, docXSign, sign.ErrBadSignature},
		{"doc markdown indentation", pub, indented, docXSign, sign.ErrBadSignature},
		{"trailing newline", pub, append(bytes.Clone(body), '\n'), docXSign, sign.ErrBadSignature},
		{"empty body", pub, nil, docXSign, sign.ErrBadSignature},
		{"wrong key", &other.PublicKey, body, docXSign, sign.ErrBadSignature},
		{"nil key", nil, body, docXSign, sign.ErrBadKey},
		{"empty x-sign", pub, body, "", sign.ErrBadSignature},
		{"x-sign not base64", pub, body, "not base64!", sign.ErrBadSignature},
		{"x-sign url encoding", pub, body, base64.URLEncoding.EncodeToString(sigDER), sign.ErrBadSignature},
		{"x-sign truncated", pub, body, base64.StdEncoding.EncodeToString(sigDER[:len(sigDER)-1]), sign.ErrBadSignature},
		{"x-sign too long", pub, body, strings.Repeat("A", 4096), sign.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sign.Verify(tt.pub, tt.body, tt.xSign)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestParsePublicKey(t *testing.T) {
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b64pem := func(typ string, pub any) string {
		der, ok := pub.([]byte)
		if !ok {
			var err error
			if der, err = x509.MarshalPKIXPublicKey(pub); err != nil {
				t.Fatal(err)
			}
		}
		return base64.StdEncoding.EncodeToString(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
	}
	docPEM, _ := base64.StdEncoding.DecodeString(docPubKey)
	block, _ := pem.Decode(docPEM)

	tests := []struct {
		name string
		in   string
		want error
	}{
		{"official key", docPubKey, nil},
		{"trailing newline", docPubKey + "\n", nil},
		{"empty", "", sign.ErrBadKey},
		{"not base64", "-----BEGIN PUBLIC KEY-----", sign.ErrBadKey},
		{"raw PEM, not base64", string(docPEM), sign.ErrBadKey},
		{"base64 of DER, not PEM", base64.StdEncoding.EncodeToString(block.Bytes), sign.ErrBadKey},
		{"wrong PEM type", b64pem("CERTIFICATE", block.Bytes), sign.ErrBadKey},
		{"P-384 key", b64pem("PUBLIC KEY", &p384.PublicKey), sign.ErrBadKey},
		{"RSA key", b64pem("PUBLIC KEY", &rsaKey.PublicKey), sign.ErrBadKey},
		{"huge", strings.Repeat("QUFB", 2000), sign.ErrBadKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := sign.ParsePublicKey(tt.in)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("ParsePublicKey() error = %v, want %v", err, tt.want)
			}
			if err == nil && pub == nil {
				t.Fatal("ParsePublicKey() = nil, nil")
			}
		})
	}
}

func TestSignRoundTrip(t *testing.T) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	enc, err := sign.EncodePublicKey(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := sign.ParsePublicKey(enc)
	if err != nil {
		t.Fatalf("ParsePublicKey(EncodePublicKey()) = %v", err)
	}
	if !pub.Equal(&priv.PublicKey) {
		t.Fatal("round-tripped key differs")
	}
	body := []byte(`{"invoiceId":"p2_x","status":"success"}`)
	xSign, err := sign.Sign(priv, body)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		pub  *ecdsa.PublicKey
		body []byte
		want error
	}{
		{"same key", pub, body, nil},
		{"other key", &other.PublicKey, body, sign.ErrBadSignature},
		{"tampered body", pub, []byte(`{"invoiceId":"p2_x","status":"failure"}`), sign.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := sign.Verify(tt.pub, tt.body, xSign); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify() = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := sign.Sign(nil, body); !errors.Is(err, sign.ErrBadKey) {
		t.Errorf("Sign(nil) = %v, want ErrBadKey", err)
	}
	if _, err := sign.EncodePublicKey(nil); !errors.Is(err, sign.ErrBadKey) {
		t.Errorf("EncodePublicKey(nil) = %v, want ErrBadKey", err)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte(`{}`), docXSign)
	f.Add([]byte(nil), "")
	pub, err := sign.ParsePublicKey(docPubKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte, xSign string) {
		err := sign.Verify(pub, body, xSign)
		if err != nil && !errors.Is(err, sign.ErrBadSignature) {
			t.Fatalf("Verify() = %v, want nil or ErrBadSignature", err)
		}
	})
}

func FuzzParsePublicKey(f *testing.F) {
	f.Add(docPubKey)
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		pub, err := sign.ParsePublicKey(s)
		if err != nil && !errors.Is(err, sign.ErrBadKey) {
			t.Fatalf("ParsePublicKey() = %v, want nil or ErrBadKey", err)
		}
		if err == nil && pub == nil {
			t.Fatal("ParsePublicKey() = nil, nil")
		}
	})
}
