package bot

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/internal/testsupport"
)

// TestNoticeKeyboardFromTheCheck: a notice carries the keyboard of the
// role its check recorded when it was made, with no read of the maker's
// binding (on the Worker a D1 round trip on every paid callback); a check
// from before roles were recorded reads the binding once.
func TestNoticeKeyboardFromTheCheck(t *testing.T) {
	now := func() time.Time { return testsupport.T0 }
	store := cas.NewMem(now)
	ms := merchant.Store{DB: store, Now: now, Rand: testsupport.Rand(1), Secret: []byte("secret"), DefaultProvider: "sandbox"}
	m, code, err := ms.Create(context.Background(), "Кавʼярня", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ms.Redeem(context.Background(), code, "test", "7", "Оля"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		role  string
		reads int
		want  []Button
	}{
		{"owner", 0, OwnerKeyboard("uk")},
		{"cashier", 0, MainKeyboard("uk")},
		{"", 1, OwnerKeyboard("uk")}, // the binding says owner
	} {
		n := &Notifier{Log: testsupport.Discard(), Merchants: &ms}
		chk := check.Check{ID: "c" + tc.role, Merchant: m.ID, Amount: 100, Role: tc.role, Chat: check.Chat{Messenger: "test", ChatID: "7", UserID: "7", Lang: "uk"}}
		before := store.Gets()
		if got := n.keyboard(context.Background(), chk); !slices.Equal(got, tc.want) {
			t.Errorf("role %q: keyboard %v, want %v", tc.role, got, tc.want)
		}
		if got := store.Gets() - before; got != tc.reads {
			t.Errorf("role %q: %d reads of the store, want %d", tc.role, got, tc.reads)
		}
	}
}
