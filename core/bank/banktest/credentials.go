package banktest

import (
	"strings"
	"testing"

	"github.com/paylastic/edge/core/bank"
	"github.com/paylastic/edge/core/errs"
)

// CredentialsCase is credentials JSON sent to the admin API and what the
// provider's CheckCredentials and MaskCredentials must make of it.
type CredentialsCase struct {
	Raw string
	OK  bool
	// Mask is what MaskCredentials must show of some fields, with OK.
	Mask map[string]string
}

// Credentials runs CheckCredentials on each case, and MaskCredentials on
// what it takes: a refusal is errs.Invalid, and neither a refusal nor a
// mask quotes any of secrets.
func Credentials(t *testing.T, p bank.Provider, cases []CredentialsCase, secrets ...string) {
	t.Helper()
	quotes := func(s string) bool {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				return true
			}
		}
		return false
	}
	for _, tt := range cases {
		plain, err := p.CheckCredentials([]byte(tt.Raw))
		if (err == nil) != tt.OK {
			t.Errorf("CheckCredentials(%s) = %v, want ok %v", tt.Raw, err, tt.OK)
			continue
		}
		if err != nil {
			if errs.CodeOf(err) != errs.Invalid || quotes(err.Error()) {
				t.Errorf("CheckCredentials(%s): %v (%s), want invalid, quoting no secret", tt.Raw, err, errs.CodeOf(err))
			}
			continue
		}
		got := p.MaskCredentials(plain)
		for k, v := range tt.Mask {
			if got[k] != v {
				t.Errorf("mask %s = %q, want %q", k, got[k], v)
			}
		}
		for _, v := range got {
			if quotes(v) {
				t.Errorf("the mask shows a secret: %v", got)
			}
		}
	}
}
