package merchant

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/internal/testsupport"
)

type fixture struct {
	s     Store
	db    *cas.Mem
	clock *testsupport.Clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{clock: testsupport.NewClock(testsupport.T0)}
	f.db = cas.NewMem(f.clock.Now)
	f.s = Store{DB: f.db, Now: f.clock.Now, Rand: rand.NewChaCha8([32]byte{1}), Secret: []byte("k"), DefaultProvider: "sandbox"}
	return f
}

func TestActivationCodes(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	s := f.s
	m, code, err := s.Create(ctx, "  Кавʼярня Ранок ", 0)
	if err != nil || m.Name != "Кавʼярня Ранок" || m.MaxAmount != DefaultMaxAmount || m.Provider != "sandbox" {
		t.Fatalf("Create = %+v, %q, %v", m, code, err)
	}
	if !LooksLikeCode(code) || !LooksLikeCode(strings.ToLower(strings.ReplaceAll(code, "-", " "))) || LooksLikeCode("12,50") {
		t.Errorf("LooksLikeCode disagrees for %q", code)
	}
	// the code is stored hashed: its text appears in no key or value
	for _, prefix := range []string{"ac:", "m:", "mn:"} {
		items, _ := f.db.List(ctx, prefix, "", cas.MaxList)
		for _, it := range items {
			if strings.Contains(it.Key+string(it.Value), NormalizeCode(code)) {
				t.Fatalf("code stored in clear under %s", it.Key)
			}
		}
	}
	if _, _, err := s.Redeem(ctx, "AAAA-BBBB-CC", "telegram", "1", ""); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("wrong code = %v, want NotFound", err)
	}
	got, op, err := s.Redeem(ctx, strings.ToLower(code), "telegram", "1", "Оля")
	if err != nil || got.ID != m.ID || op.Merchant != m.ID || !op.IsOwner() {
		t.Fatalf("Redeem = %+v %+v %v", got, op, err)
	}
	if _, _, err := s.Redeem(ctx, code, "telegram", "2", ""); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("used code = %v, want NotFound", err)
	}
	if _, _, err := s.Redeem(ctx, code, "telegram", "1", "Оля"); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("the same user's used code again = %v, want NotFound (the bot tells a redelivery apart)", err)
	}
	if o, err := s.Operator(ctx, "telegram", "1"); err != nil || o.Merchant != m.ID {
		t.Errorf("Operator = %+v, %v", o, err)
	}
	code2, _, err := s.IssueCode(ctx, m.ID, Cashier)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.IssueCode(ctx, m.ID, "boss"); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("IssueCode for an unknown role = %v, want Invalid", err)
	}
	f.clock.Advance(CodeTTL)
	if _, _, err := s.Redeem(ctx, code2, "viber", "x", ""); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("expired code = %v, want NotFound", err)
	}
	if OperatorID([]byte("k"), "telegram", "1") == OperatorID([]byte("k"), "viber", "1") {
		t.Error("operator keys collide across messengers")
	}
}

// TestRedeemAtOnce: a code typed in 10 chats at once binds one of them.
func TestRedeemAtOnce(t *testing.T) {
	f := newFixture(t)
	_, code, err := f.s.Create(context.Background(), "Кавʼярня", 0)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := f.s.Redeem(context.Background(), code, "telegram", fmt.Sprint(i), "")
			if err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			} else if errs.CodeOf(err) != errs.NotFound {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d chats got the code, want 1", won)
	}
}

// TestRolesAndRemoval: a cashier's code binds a cashier; the merchant's
// list shows owners first; a removed cashier is told (ErrRemoved, with the
// merchant) and left out of the list; bound to another merchant later, a
// user is no longer in the first one's list.
func TestRolesAndRemoval(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m, owner, _ := f.s.Create(ctx, "Кавʼярня", 0)
	other, otherCode, _ := f.s.Create(ctx, "Книгарня", 0)
	mustRedeem(t, f.s, owner, "telegram", "1")
	f.clock.Advance(time.Minute)
	c1, _, _ := f.s.IssueCode(ctx, m.ID, Cashier)
	c2, _, _ := f.s.IssueCode(ctx, m.ID, Cashier)
	if op := mustRedeem(t, f.s, c1, "viber", "v1"); op.IsOwner() || op.RoleOf() != Cashier {
		t.Errorf("cashier's code bound %+v", op)
	}
	f.clock.Advance(time.Minute)
	mustRedeem(t, f.s, c2, "telegram", "2")
	ops, err := f.s.Operators(ctx, m.ID)
	if err != nil || len(ops) != 3 || !ops[0].IsOwner() || ops[1].UserID != "v1" {
		t.Fatalf("Operators = %+v, %v; want the owner, then the cashiers in order", ops, err)
	}
	if _, err := f.s.Remove(ctx, other.ID, "viber", "v1"); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("Remove by another merchant = %v, want NotFound", err)
	}
	if _, err := f.s.Remove(ctx, m.ID, "viber", "v1"); err != nil {
		t.Fatal(err)
	}
	op, err := f.s.Operator(ctx, "viber", "v1")
	if !errors.Is(err, ErrRemoved) || errs.CodeOf(err) != errs.NotFound || op.Merchant != m.ID {
		t.Errorf("Operator of a removed cashier = %+v, %v; want NotFound, ErrRemoved, naming the merchant", op, err)
	}
	mustRedeem(t, f.s, otherCode, "telegram", "2") // moves to the other merchant
	if ops, _ := f.s.Operators(ctx, m.ID); len(ops) != 1 {
		t.Errorf("Operators after a removal and a move = %+v; want the owner only", ops)
	}
	if ops, _ := f.s.Operators(ctx, other.ID); len(ops) != 1 || ops[0].UserID != "2" {
		t.Errorf("the other merchant's operators = %+v", ops)
	}
}

func mustRedeem(t *testing.T, s Store, code, messenger, user string) Operator {
	t.Helper()
	_, op, err := s.Redeem(context.Background(), code, messenger, user, "")
	if err != nil {
		t.Fatalf("Redeem: %v", err)
	}
	return op
}

// TestListAndRename: the admin's list by name prefix, in any case, paged;
// a renamed merchant is found by its new name only.
func TestListAndRename(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ids := map[string]string{}
	for _, n := range []string{"Кава 3", "кава 1", "Книги", "Кава 2", "Aroma"} {
		m, _, err := f.s.Create(ctx, n, 0)
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = m.ID
	}
	names := func(p Page[Merchant]) string {
		var out []string
		for _, m := range p.Items {
			out = append(out, m.Name)
		}
		return strings.Join(out, ",")
	}
	p, err := f.s.List(ctx, "КАВА", "", 2)
	if err != nil || names(p) != "кава 1,Кава 2" || p.Next == "" {
		t.Fatalf("List(КАВА, 2) = %s next %q, %v", names(p), p.Next, err)
	}
	if p, _ = f.s.List(ctx, "КАВА", p.Next, 2); names(p) != "Кава 3" || p.Next != "" {
		t.Errorf("next page = %s next %q", names(p), p.Next)
	}
	if p, _ := f.s.List(ctx, "", "", 100); names(p) != "Aroma,кава 1,Кава 2,Кава 3,Книги" {
		t.Errorf("List all = %s", names(p))
	}
	if _, err := f.s.Update(ctx, ids["Книги"], func(m *Merchant) error { m.Name = "Кава 4"; return nil }); err != nil {
		t.Fatal(err)
	}
	if p, _ := f.s.List(ctx, "к", "", 100); names(p) != "кава 1,Кава 2,Кава 3,Кава 4" {
		t.Errorf("List after a rename = %s", names(p))
	}
	if _, err := f.s.List(ctx, "к", "mn:zzz", 10); errs.CodeOf(err) != errs.Invalid {
		t.Errorf("a cursor of another list = %v, want Invalid", err)
	}
}

func TestCreateValidation(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"", "   ", strings.Repeat("я", 101), "bad\xffutf8", "tab\there"} {
		if _, _, err := f.s.Create(context.Background(), name, 0); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("Create(%.10q) = %v, want Invalid", name, err)
		}
	}
}

// TestMovedFromKV: a deployment upgraded from KV finds its merchants,
// operators and unused codes, and moves each over on first read.
func TestMovedFromKV(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := kv.NewMem(f.clock.Now)
	f.s.KV = old
	put := func(k string, v any) {
		b, _ := json.Marshal(v)
		if err := old.Put(ctx, k, b, 0); err != nil {
			t.Fatal(err)
		}
	}
	m := Merchant{ID: "aaaaaaaaaaaaa", Name: "Стара кавʼярня", MaxAmount: DefaultMaxAmount, Provider: "sandbox", Created: testsupport.T0}
	put("m:"+m.ID, m)
	put("op:telegram:9", Operator{Merchant: m.ID, Messenger: "telegram", UserID: "9", Activated: testsupport.T0})
	put(f.s.codeKey("ABCD-EFGH-JK"), code{Merchant: m.ID, Expires: testsupport.T0.Add(time.Hour)})
	if got, err := f.s.Get(ctx, m.ID); err != nil || got.Name != m.Name {
		t.Fatalf("Get of a merchant in KV = %+v, %v", got, err)
	}
	if op, err := f.s.Operator(ctx, "telegram", "9"); err != nil || !op.IsOwner() {
		t.Fatalf("Operator in KV = %+v, %v; want an owner", op, err)
	}
	if _, op, err := f.s.Redeem(ctx, "abcd efgh jk", "viber", "v", ""); err != nil || op.Merchant != m.ID || !op.IsOwner() {
		t.Fatalf("Redeem of a code in KV = %+v, %v", op, err)
	}
	f.s.KV = nil // moved: the consistent store has them now
	if _, err := f.s.Get(ctx, m.ID); err != nil {
		t.Errorf("Get after the move = %v", err)
	}
	if ops, _ := f.s.Operators(ctx, m.ID); len(ops) != 2 {
		t.Errorf("Operators after the move = %+v, want 2", ops)
	}
	if p, _ := f.s.List(ctx, "стара", "", 10); len(p.Items) != 1 {
		t.Errorf("List after the move = %+v", p)
	}
}

// failOps fails every write of an operator binding while on.
type failOps struct {
	cas.Store
	on bool
}

func (f *failOps) Put(ctx context.Context, key string, v []byte, version int64, exp time.Time) (int64, error) {
	if f.on && strings.HasPrefix(key, "op:") {
		return 0, errors.New("store down")
	}
	return f.Store.Put(ctx, key, v, version, exp)
}

// TestRedeemFinishesAFailedBinding: a code marked used whose binding failed
// is not lost: the same user typing it again is bound; anyone else is not.
func TestRedeemFinishesAFailedBinding(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	db := &failOps{Store: f.db, on: true}
	s := f.s
	s.DB = db
	m, code, err := s.Create(ctx, "Shop", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Redeem(ctx, code, "viber", "u1", ""); err == nil || errs.CodeOf(err) == errs.NotFound {
		t.Fatalf("Redeem with the binding failing = %v, want a storage error", err)
	}
	db.on = false
	if _, _, err := s.Redeem(ctx, code, "viber", "u2", ""); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("another user after the mark = %v, want NotFound", err)
	}
	if _, op, err := s.Redeem(ctx, code, "viber", "u1", ""); err != nil || op.Merchant != m.ID {
		t.Errorf("the same user again = %+v, %v; want bound", op, err)
	}
}

// TestSetLang: an operator's language is stored when it differs, with one
// conditional write, and not written again while it stays the same.
func TestSetLang(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, code, err := f.s.Create(ctx, "Ранок", 0)
	if err != nil {
		t.Fatal(err)
	}
	mustRedeem(t, f.s, code, "viber", "v1")
	version := func() int64 {
		r, err := f.db.Get(ctx, operatorKey("viber", "v1"))
		if err != nil {
			t.Fatal(err)
		}
		return r.Version
	}
	for _, tc := range []struct {
		lang   string
		writes int64
	}{
		{"en", 1},
		{"en", 0},
		{"uk", 1},
		{"uk", 0},
	} {
		before := version()
		op, err := f.s.SetLang(ctx, "viber", "v1", tc.lang)
		if err != nil || op.Lang != tc.lang {
			t.Fatalf("SetLang(%q) = %+v, %v", tc.lang, op, err)
		}
		if got := version() - before; got != tc.writes {
			t.Errorf("SetLang(%q): %d writes, want %d", tc.lang, got, tc.writes)
		}
		if got, _ := f.s.Operator(ctx, "viber", "v1"); got.Lang != tc.lang {
			t.Errorf("after SetLang(%q) the operator's language is %q", tc.lang, got.Lang)
		}
	}
	if _, err := f.s.SetLang(ctx, "viber", "nobody", "en"); errs.CodeOf(err) != errs.NotFound {
		t.Errorf("SetLang of a stranger = %v, want NotFound", err)
	}
}
