package checks

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// exportWorld is a merchant with two cashiers and checks around one Kyiv
// day, 2026-11-26 (EET, UTC+2), plus another merchant's check on the same
// UTC day.
type exportWorld struct {
	f       *fixture
	ops     []string // the merchant's operator ids
	want    []string // ids of the checks of the Kyiv day
	created int      // checks created in all
}

func newExportWorld(t *testing.T) *exportWorld {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	ms := f.svc.Merchants
	code, _, err := ms.IssueCode(ctx, f.op.Merchant, merchant.Cashier)
	if err != nil {
		t.Fatal(err)
	}
	_, petro, err := ms.Redeem(ctx, code, "viber", "v43", "Петро")
	if err != nil {
		t.Fatal(err)
	}
	other, code2, err := ms.Create(ctx, "Інший магазин", 500*money.Hryvnia)
	if err != nil {
		t.Fatal(err)
	}
	_, stranger, err := ms.Redeem(ctx, code2, "telegram", "99", "Чужий")
	if err != nil || stranger.Merchant != other.ID {
		t.Fatal(err)
	}
	w := &exportWorld{f: f}
	for _, op := range []merchant.Operator{f.op, petro} {
		w.ops = append(w.ops, op.ID(ms.Secret))
	}
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	add := func(op merchant.Operator, at time.Time, inDay bool) {
		t.Helper()
		f.now = at
		w.created++
		p, err := f.svc.Prepare(ctx, NewCheck{Operator: op, Chat: check.Chat{Messenger: op.Messenger, ChatID: op.UserID, UserID: op.UserID, Lang: "uk"},
			Amount: 1250, Identity: op.Messenger + ":" + op.UserID + ":" + at.String(), At: at})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Save(ctx, p.Check); err != nil {
			t.Fatal(err)
		}
		if inDay {
			w.want = append(w.want, p.Check.ID)
		}
	}
	add(f.op, day.Add(-90*time.Minute), true) // 25th 22:30 UTC: the 26th 00:30 in Kyiv
	add(f.op, day.Add(-3*time.Hour), false)   // 25th 21:00 UTC: the 25th 23:00 in Kyiv
	add(f.op, day.Add(10*time.Hour), true)    // noon
	add(petro, day.Add(10*time.Hour+time.Minute), true)
	add(petro, day.Add(12*time.Hour), true)
	add(f.op, day.Add(21*time.Hour+59*time.Minute), true) // 23:59 in Kyiv
	add(petro, day.Add(22*time.Hour), false)              // the 27th in Kyiv
	add(stranger, day.Add(11*time.Hour), false)           // another merchant's
	sort.Strings(w.want)
	f.now = day.Add(23 * time.Hour)
	return w
}

// all reads every page of the export with limit, returning the ids in
// order and how many pages it took.
func (w *exportWorld) all(t *testing.T, e Export, limit int) (ids []string, pages int) {
	t.Helper()
	cursor := ""
	for {
		rows, next, err := w.f.svc.ExportPage(context.Background(), e, cursor, limit)
		if err != nil {
			t.Fatalf("page %d: %v", pages, err)
		}
		pages++
		if len(rows) > limit {
			t.Errorf("page %d: %d rows, limit %d", pages, len(rows), limit)
		}
		for _, r := range rows {
			ids = append(ids, r.Check.ID)
		}
		if next == "" {
			return ids, pages
		}
		if pages > 50 {
			t.Fatal("the export does not end")
		}
		cursor = next
	}
}

func TestExportPage(t *testing.T) {
	w := newExportWorld(t)
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	e := Export{Merchant: w.f.op.Merchant, Operators: w.ops, From: day, To: day}
	for _, limit := range []int{1, 2, 3, 5, MaxExportPage} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			before := w.f.kv.Snapshot()
			ids, pages := w.all(t, e, limit)
			sorted := append([]string(nil), ids...)
			sort.Strings(sorted)
			if strings.Join(sorted, ",") != strings.Join(w.want, ",") {
				t.Errorf("limit %d: exported %v, want %v", limit, sorted, w.want)
			}
			if limit >= 10 && pages != 1 {
				t.Errorf("limit %d: %d pages, want 1", limit, pages)
			}
			if n := w.f.kv.Snapshot().Sub(before); n.Puts != 0 || n.Deletes != 0 {
				t.Errorf("the export wrote to KV: %+v", n)
			}
		})
	}
}

// TestExportCostsNoWrite: the export needs no key of its own: a check
// still costs one KV write (its record), as before the export existed.
func TestExportCostsNoWrite(t *testing.T) {
	f := newFixture(t)
	before := f.kv.Snapshot()
	f.create(t, "12", "telegram:42:1")
	if n := f.kv.Snapshot().Sub(before); n.Puts != 1 {
		t.Errorf("creating a check: %d KV writes, want 1", n.Puts)
	}
}

func TestExportBadCursor(t *testing.T) {
	w := newExportWorld(t)
	day := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	e := Export{Merchant: w.f.op.Merchant, Operators: w.ops, From: day, To: day}
	for _, c := range []string{"!", "eA", exportCursor{day: day.AddDate(0, 0, -5)}.encode()} {
		if _, _, err := w.f.svc.ExportPage(context.Background(), e, c, 10); errs.CodeOf(err) != errs.Invalid {
			t.Errorf("cursor %q: %v, want errs.Invalid", c, err)
		}
	}
}
