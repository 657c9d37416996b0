package checks

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/kyiv"
)

// MaxExportPage is the most checks one ExportPage reads: each costs one KV
// read, and a Worker request may make 1000 KV operations in all.
const MaxExportPage = 500

// Export asks for a merchant's checks created on the Kyiv days From to To
// (both included, dates only). Operators are the operator ids of everyone
// who ever made checks for the merchant (merchant.Store.Members): checks
// are keyed by day and operator, not by merchant, so a merchant's day is
// the union of its operators' days, and no key is written for the export
// (a check still costs one KV write: invariant 8).
type Export struct {
	Merchant  string
	Operators []string
	From, To  time.Time
}

// ExportPage is the page of an export that Cursor ("" first) names: at
// most limit (1 to MaxExportPage) checks, each with its state, in order
// of UTC day, operator and expiry, and the cursor of the next page ("" for
// none). Checks of other merchants (an operator who moved) and outside the
// Kyiv days are left out, so a page may be short, even empty, before the
// last one. A page costs one KV list per operator-day it touches, one KV
// read per check listed and one consistent-store read per cas.MaxGetMany
// checks. A bad cursor is errs.Invalid.
func (s *Service) ExportPage(ctx context.Context, e Export, cursor string, limit int) ([]Summary, string, error) {
	if limit < 1 || limit > MaxExportPage {
		limit = MaxExportPage
	}
	ops := append([]string(nil), e.Operators...)
	sort.Strings(ops)
	// a Kyiv day begins on the UTC day before (21:00 or 22:00 UTC)
	first := time.Date(e.From.Year(), e.From.Month(), e.From.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	last := time.Date(e.To.Year(), e.To.Month(), e.To.Day(), 0, 0, 0, 0, time.UTC)
	at, err := decodeCursor(cursor, first)
	if err != nil {
		return nil, "", err
	}
	var keys []string
	next := ""
	for d := at.day; !d.After(last) && next == ""; d = d.AddDate(0, 0, 1) {
		for _, op := range ops {
			if d.Equal(at.day) && op < at.op {
				continue // before the cursor
			}
			kvCursor := ""
			if d.Equal(at.day) && op == at.op {
				kvCursor = at.kv
			}
			for {
				page, err := s.KV.List(ctx, operatorDayPrefix(d, op), kvCursor, limit-len(keys))
				if err != nil {
					return nil, "", errs.Storage(fmt.Errorf("export list %s: %w", day(d), err))
				}
				for _, k := range page.Keys {
					keys = append(keys, k.Name)
				}
				if page.Complete {
					break
				}
				kvCursor = page.Cursor
				if len(keys) >= limit {
					next = exportCursor{day: d, op: op, kv: kvCursor}.encode()
					break
				}
			}
			if next != "" {
				break
			}
			if len(keys) >= limit {
				// full at the end of this operator's day: go on with the next
				next = exportCursor{day: d, op: op + "\x00"}.encode()
				break
			}
		}
	}
	rows, err := s.readExported(ctx, e, keys)
	return rows, next, err
}

// readExported reads the listed checks and their states, keeping the
// merchant's checks of the Kyiv days asked for.
func (s *Service) readExported(ctx context.Context, e Export, keys []string) ([]Summary, error) {
	from := e.From.Format("2006-01-02")
	to := e.To.Format("2006-01-02")
	var out []Summary
	for len(keys) > 0 {
		n := min(len(keys), cas.MaxGetMany)
		batch := make([]Summary, 0, n)
		refs := make([]check.Ref, 0, n)
		for _, k := range keys[:n] {
			var chk check.Check
			if err := kv.GetJSON(ctx, s.KV, k, &chk); err != nil {
				if errors.Is(err, kv.ErrNotFound) {
					continue // listed but gone since (retention)
				}
				return nil, errs.Storage(fmt.Errorf("export read %s: %w", k, err))
			}
			if d := kyiv.In(chk.Created).Format("2006-01-02"); chk.Merchant != e.Merchant || d < from || d > to {
				continue
			}
			batch = append(batch, Summary{Check: chk})
			refs = append(refs, chk.Ref())
		}
		keys = keys[n:]
		if len(refs) == 0 {
			continue
		}
		states, err := s.StatesOf(ctx, refs)
		if err != nil {
			return nil, err
		}
		for i := range batch {
			batch[i].State = states[batch[i].Check.ID]
		}
		out = append(out, batch...)
	}
	return out, nil
}

// exportCursor is where the next page of an export starts: the UTC day,
// the operator (the first at or after op) and KV's cursor within that
// operator's day.
type exportCursor struct {
	day time.Time
	op  string
	kv  string
}

func (c exportCursor) encode() string {
	return base64.RawURLEncoding.EncodeToString([]byte(day(c.day) + "|" + c.op + "|" + c.kv))
}

func decodeCursor(s string, first time.Time) (exportCursor, error) {
	if s == "" {
		return exportCursor{day: first}, nil
	}
	bad := errs.E(errs.Invalid, "bad cursor: pass the one the last page gave")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return exportCursor{}, bad
	}
	parts := strings.SplitN(string(b), "|", 3)
	if len(parts) != 3 {
		return exportCursor{}, bad
	}
	d, err := time.Parse("20060102", parts[0])
	if err != nil || d.Before(first) {
		return exportCursor{}, bad
	}
	return exportCursor{day: d, op: parts[1], kv: parts[2]}, nil
}
