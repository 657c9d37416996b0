package bot

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/invoice"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// t0 is the tests' clock: 12:00 in Kyiv (EET).
var t0 = time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)

type seededRand struct{ r *rand.ChaCha8 }

func (s seededRand) Read(p []byte) (int, error) { return s.r.Read(p) }

// flaky is a KV store whose operations fail while fail is set.
type flaky struct {
	kv.Store
	failGet, failPut atomic.Bool
}

var errDown = errors.New("kv down")

func (f *flaky) Get(ctx context.Context, k string) ([]byte, error) {
	if f.failGet.Load() {
		return nil, errDown
	}
	return f.Store.Get(ctx, k)
}

func (f *flaky) Put(ctx context.Context, k string, v []byte, ttl time.Duration) error {
	if f.failPut.Load() {
		return errDown
	}
	return f.Store.Put(ctx, k, v, ttl)
}

// world is a bot over an in-memory store with one merchant.
type world struct {
	t     *testing.T
	now   time.Time
	kv    *kv.Counting
	flaky *flaky
	bot   *Bot
	m     merchant.Merchant
	code  string // the merchant's first activation code, unused
	msgID int
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, now: t0}
	clock := func() time.Time { return w.now }
	w.flaky = &flaky{Store: kv.NewMem(clock)}
	w.kv = &kv.Counting{Store: w.flaky}
	rnd := seededRand{rand.NewChaCha8([32]byte{7})}
	signer := invoice.NewSigner("test link secret")
	ms := merchant.Store{KV: w.kv, Now: clock, Rand: rnd, Secret: signer.Key()}
	svc := &checks.Service{KV: w.kv, Now: clock, Rand: rnd, Signer: signer, Merchants: ms}
	w.bot = &Bot{Checks: svc, Merchants: ms, KV: w.kv, Now: clock, BaseURL: "https://pay.test"}
	m, code, err := ms.Create(context.Background(), "Кавʼярня Ранок", 5000*money.Hryvnia)
	if err != nil {
		t.Fatal(err)
	}
	w.m, w.code = m, code
	return w
}

// recorder is a Sender that records replies and fails on demand.
type recorder struct {
	replies []Reply
	fail    map[ReplyKind]error
}

func (r *recorder) Send(_ context.Context, rep Reply) error {
	if err := r.fail[rep.Kind]; err != nil {
		return err
	}
	r.replies = append(r.replies, rep)
	return nil
}

const user = "1001"

// event makes an event from user in lang at the world's clock, with a new
// message identity.
func (w *world) event(kind Kind, lang, text string) Event {
	w.msgID++
	ev := Event{Kind: kind, Messenger: "test", UserID: user, ChatID: user, Name: "Оля", Lang: lang, At: w.now,
		Identity: fmt.Sprintf("test:%s:%d", user, w.msgID)}
	switch kind {
	case Callback:
		ev.Data = text
	case Press:
		ev.Button, _ = ParseButton(text)
	default:
		ev.Text = text
	}
	return ev
}

// handle runs ev and returns the replies.
func (w *world) handle(ev Event) []Reply {
	w.t.Helper()
	var r recorder
	if err := w.bot.Handle(context.Background(), ev, &r); err != nil {
		w.t.Fatalf("Handle(%+v) = %v", ev, err)
	}
	return r.replies
}

// activate binds user to the merchant.
func (w *world) activate(lang string) {
	w.t.Helper()
	w.handle(w.event(Text, lang, w.code))
}

// render prints replies as a transcript line per reply, for golden files.
func render(replies []Reply) string {
	var b strings.Builder
	for _, r := range replies {
		fmt.Fprintf(&b, "[%s]\n%s\n", r.Kind, r.Text)
		if r.Picture != nil {
			fmt.Fprintf(&b, "  picture: %d bytes PNG, url %s\n", len(r.Picture.PNG), r.Picture.URL)
		}
		if len(r.Keyboard) > 0 {
			var labels []string
			for _, k := range r.Keyboard {
				labels = append(labels, k.Text)
			}
			fmt.Fprintf(&b, "  keyboard: %s\n", strings.Join(labels, " | "))
		}
		if r.NoKeyboard {
			b.WriteString("  no keyboard\n")
		}
		for _, in := range r.Inline {
			fmt.Fprintf(&b, "  inline: %s -> %s\n", in.Text, in.Data)
		}
	}
	return b.String()
}

// golden compares got with testdata/name.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run go test ./core/bot -update): %v", err)
	}
	if got != string(want) {
		t.Errorf("%s: got\n%s\nwant\n%s", path, got, want)
	}
}
