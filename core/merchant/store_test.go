package merchant

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
)

func TestActivationCodes(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	mem := kv.NewMem(clock)
	s := Store{KV: mem, Now: clock, Rand: rand.NewChaCha8([32]byte{1}), Secret: []byte("k")}
	m, code, err := s.Create(ctx, "  Кавʼярня Ранок ", 0)
	if err != nil || m.Name != "Кавʼярня Ранок" || m.MaxAmount != DefaultMaxAmount || m.Provider != "sandbox" {
		t.Fatalf("Create = %+v, %q, %v", m, code, err)
	}
	if !LooksLikeCode(code) || !LooksLikeCode(strings.ToLower(strings.ReplaceAll(code, "-", " "))) || LooksLikeCode("12,50") {
		t.Errorf("LooksLikeCode disagrees for %q", code)
	}
	// the code is stored hashed: its text appears in no key or value
	p, _ := mem.List(ctx, "", "", 0)
	for _, k := range p.Keys {
		v, _ := mem.Get(ctx, k.Name)
		if strings.Contains(k.Name+string(v), NormalizeCode(code)) {
			t.Fatalf("code stored in clear under %s", k.Name)
		}
	}
	if _, _, err := s.Redeem(ctx, "AAAA-BBBB-CC", "telegram", "1", ""); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("wrong code = %v, want NotFound", err)
	}
	got, op, err := s.Redeem(ctx, strings.ToLower(code), "telegram", "1", "Оля")
	if err != nil || got.ID != m.ID || op.Merchant != m.ID {
		t.Fatalf("Redeem = %+v %+v %v", got, op, err)
	}
	if _, _, err := s.Redeem(ctx, code, "telegram", "2", ""); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("used code = %v, want NotFound", err)
	}
	if o, err := s.Operator(ctx, "telegram", "1"); err != nil || o.Merchant != m.ID {
		t.Errorf("Operator = %+v, %v", o, err)
	}
	code2, _, err := s.IssueCode(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(CodeTTL)
	if _, _, err := s.Redeem(ctx, code2, "viber", "x", ""); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("expired code = %v, want NotFound", err)
	}
	if OperatorID([]byte("k"), "telegram", "1") == OperatorID([]byte("k"), "viber", "1") {
		t.Error("operator keys collide across messengers")
	}
}

func TestCreateValidation(t *testing.T) {
	s := Store{KV: kv.NewMem(nil), Now: time.Now, Rand: rand.NewChaCha8([32]byte{}), Secret: []byte("k")}
	for _, name := range []string{"", "   ", strings.Repeat("я", 101)} {
		if _, _, err := s.Create(context.Background(), name, 0); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("Create(%.10q) = %v, want Invalid", name, err)
		}
	}
}
